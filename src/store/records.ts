import { createHash } from 'node:crypto';
import { KatalogError } from '../core/errors.js';
import type { NodePart } from '../core/serialize/node-parts.js';
import { REPRESENTATION_NAMES, type RepresentationName } from '../core/serialize/representations.js';
import type { Kind } from '../core/kinds.js';
import type { ApiKeyRecord, ChangeQuery, IriClaim, RecordQuery, StoredRecord, WriteOptions } from './store.js';

/** What every store does the same way with a record's bookkeeping (docs/storage.md). */

/** Node parts read back as a JSON array of [node, hash, nt from, nt to, ttl from, ttl to, jsonld from, jsonld to]. */
export function toParts(json: string): NodePart[] {
  return (JSON.parse(json) as Array<[string, string, number, number, number, number, number, number]>).map(([node, hash, a, b, c, d, e, f]) => ({
    node,
    hash,
    spans: { nt: [a, b], ttl: [c, d], jsonld: [e, f] },
  }));
}

/** Refuses a write whose preconditions (WriteOptions) the stored version does not meet. */
export function checkPreconditions(iri: string, version: string | undefined, options: WriteOptions): void {
  if (options.ifAbsent && version !== undefined) {
    throw new KatalogError('precondition-failed', `<${iri}> already exists.`);
  }
  if (options.ifExists && version === undefined) {
    throw new KatalogError('precondition-failed', `<${iri}> does not exist.`);
  }
  const allowed = options.ifVersion === undefined ? undefined : [options.ifVersion].flat();
  if (allowed && (version === undefined || !allowed.includes(version))) {
    throw new KatalogError('precondition-failed', `<${iri}> has changed: its version is no longer ${allowed.join(' or ')}.`);
  }
}

/** A version: the change number and a hash of the N-Triples (the ETag's core). */
export function versionOf(seq: number, nt: string): string {
  return seq.toString(36) + '-' + createHash('sha256').update(nt).digest('hex').slice(0, 12);
}

/** A record as both stores read it: its columns, its catalogue, and JSON arrays of members and shared parts. */
export interface Row {
  n: number;
  iri: string;
  kind: Kind;
  id: string;
  publisher: string | null;
  organisation: string | null;
  created: string;
  modified: string;
  version: string;
  seq: number;
  nt: string;
  ttl: string;
  jsonld: string;
  catalog: string | null;
  /** A catalogue's members as a JSON array (null: none). */
  members: string | null;
  /** Asked for with `sharedParts`: the parts as a JSON array (null: none). */
  shared?: string | null;
}

export function toRecord(row: Row): StoredRecord {
  return {
    iri: row.iri,
    kind: row.kind,
    id: row.id,
    publisher: row.publisher ?? undefined,
    organisation: row.organisation ?? undefined,
    created: row.created,
    modified: row.modified,
    version: row.version,
    seq: row.seq,
    nt: row.nt,
    ttl: row.ttl,
    jsonld: row.jsonld,
    catalog: row.catalog ?? undefined,
    members: row.kind === 'catalog' ? (row.members ? (JSON.parse(row.members) as string[]) : []) : undefined,
    position: row.n,
    ...(row.shared !== undefined ? { shared: row.shared ? toParts(row.shared) : [] } : {}),
  };
}

/** An API key's row (SQLite keeps `admin` as 0 or 1). */
export interface KeyRow {
  id: string;
  hash: string;
  organisation: string;
  admin: number | boolean;
  label: string | null;
  created: string;
  revoked: string | null;
}

export function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    hash: row.hash,
    organisation: row.organisation,
    admin: row.admin === true || row.admin === 1,
    ...(row.label ? { label: row.label } : {}),
    created: row.created,
    ...(row.revoked ? { revoked: row.revoked } : {}),
  };
}

/** A stored row holding an IRI, and a live catalogue listing one (with the catalogue's organisation). */
export type ClaimRow = { iri: string; kind: Kind; id: string; organisation: string | null; deleted: string | null };
export type ListedRow = { member: string; catalog: string; organisation: string | null };

/** Every claim on the IRIs these rows speak of (WriteOptions.decide). */
export function claimsOf(records: Iterable<ClaimRow>, listed: Iterable<ListedRow>): Map<string, IriClaim> {
  const claims = new Map<string, IriClaim>();
  const claim = (iri: string) => {
    let c = claims.get(iri);
    if (!c) claims.set(iri, (c = { listedBy: [] }));
    return c;
  };
  for (const r of records) {
    claim(r.iri).record = { kind: r.kind, id: r.id, ...(r.organisation !== null ? { organisation: r.organisation } : {}), deleted: r.deleted !== null };
  }
  for (const l of listed) claim(l.member).listedBy.push({ catalog: l.catalog, ...(l.organisation !== null ? { organisation: l.organisation } : {}) });
  return claims;
}

/** What the stores' SQL writes each its own way: a parameter's mark (the n-th, from 1) and JSON arrays as text. */
export interface Dialect {
  mark: (n: number) => string;
  /** The JSON array of `value` over a subquery's rows. */
  arrayOf: (value: string) => string;
  /** A JSON array of these values. */
  tuple: (values: string[]) => string;
}

/**
 * The catalogue listing a record (the first by IRI). Only live catalogues have member rows: a
 * deleted catalogue's rows are removed with it.
 */
export const LIVE_CATALOG_OF = `(SELECT MIN(m.catalog) FROM members m WHERE m.member = r.iri)`;

/**
 * The columns of a Row over `records r`; with `only`, the other representations are read as ''.
 * With `sharedParts`: the record's node parts whose node another record also has a part for (the
 * spans flattened).
 */
export function recordColumns(dialect: Dialect, only?: RepresentationName, sharedParts?: boolean): string {
  const part = dialect.tuple(['p.node', 'p.hash', 'p.nt_from', 'p.nt_to', 'p.ttl_from', 'p.ttl_to', 'p.jsonld_from', 'p.jsonld_to']);
  const shared = `(SELECT ${dialect.arrayOf(part)} FROM node_parts p WHERE p.n = r.n AND p.seq = r.seq
    AND EXISTS (SELECT 1 FROM node_parts q WHERE q.node = p.node AND q.n <> p.n))`;
  return `r.n, r.iri, r.kind, r.id, r.publisher, r.organisation, r.created, r.modified, r.version, r.seq,
  ${REPRESENTATION_NAMES.map((name) => (only === undefined || only === name ? `r.${name}` : `'' AS ${name}`)).join(', ')},
  ${LIVE_CATALOG_OF} AS catalog,
  CASE WHEN r.kind = 'catalog' THEN (SELECT ${dialect.arrayOf('member')} FROM members WHERE catalog = r.iri) END AS members
  ${sharedParts ? `, ${shared} AS shared` : ''}`;
}

/** A RecordQuery's conditions over `records r`; their values are appended to `params`, marked by their place there. */
export function recordWhere(dialect: Dialect, query: RecordQuery, params: unknown[]): string {
  const clauses = ['r.deleted IS NULL'];
  const add = (sql: (mark: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(dialect.mark(params.length)));
  };
  if (query.iri) add((m) => `r.iri = ${m}`, query.iri);
  if (query.kind) add((m) => `r.kind = ${m}`, query.kind);
  if (query.catalog) add((m) => `r.iri IN (SELECT member FROM members WHERE catalog = ${m})`, query.catalog);
  if (query.uncatalogued) clauses.push(`${LIVE_CATALOG_OF} IS NULL`);
  if (query.modifiedSince) add((m) => `r.modified >= ${m}`, query.modifiedSince);
  if (query.afterPosition !== undefined) add((m) => `r.n > ${m}`, query.afterPosition);
  return clauses.join(' AND ');
}

/** A change's columns as `changes` gives them (Store.changes), up to its first condition. */
export function changesFrom(only?: RepresentationName | 'none'): string {
  const representations = REPRESENTATION_NAMES.map((name) => (only === undefined || only === name ? `COALESCE(${name}, '') AS ${name}` : `'' AS ${name}`));
  return `SELECT seq, op, iri, kind, id, at, version, publisher, organisation, ${representations.join(', ')} FROM changes WHERE seq > `;
}

/**
 * A change filter's conditions as SQL to follow `seq > ...` (indexes on (kind, seq) and
 * (organisation, seq) serve them), each value given to `mark`, which answers its placeholder.
 */
export function changeConditions(filter: ChangeQuery, mark: (value: unknown) => string): string {
  let sql = '';
  if (filter.kind !== undefined) sql += ` AND kind = ${mark(filter.kind)}`;
  if (filter.organisation !== undefined) sql += ` AND organisation = ${mark(filter.organisation)}`;
  return sql;
}
