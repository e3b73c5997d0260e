import { createHash } from 'node:crypto';
import { KatalogError } from '../core/errors.js';
import type { NodePart } from '../core/serialize/node-parts.js';
import type { Kind } from '../core/kinds.js';
import type { ApiKeyRecord, IriClaim, StoredRecord, WriteOptions } from './store.js';

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

/** Every claim on the IRIs these rows speak of (Store.claims). */
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
