import type Database from 'better-sqlite3';
import { DataFactory } from 'n3';
import { KatalogError } from '../core/errors.js';
import type { Kind } from '../core/kinds.js';
import { searchFieldsOf, TEXT_FIELDS, VALUE_FIELDS } from '../core/search-fields.js';
import { triplesOf } from '../core/serialize/representations.js';
import type { RecordInput, SearchFilter, SearchQuery } from './store.js';

/**
 * The search index of the SQLite store (docs/search.md): an FTS5 table over the text fields, and a
 * table of (field, value, record) for filters and facet counts. Written in the record's own
 * transaction; its rows are keyed by the record's position.
 */

/** Migration 4's tables. */
export const SEARCH_SCHEMA = `CREATE VIRTUAL TABLE search_text USING fts5(title, keyword, description, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 0');
  CREATE TABLE search_values (field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (field, value, n)) WITHOUT ROWID;
  CREATE INDEX search_values_n ON search_values (n, field, value);
  -- What a search asks of a record besides the index, without reading its large row.
  CREATE INDEX records_search ON records (n, deleted, modified, iri);`;

/** The (field, value) pairs a record is found by: what it says of itself, and the store's bookkeeping. */
export function searchValuesOf(record: Pick<RecordInput, 'kind' | 'publisher' | 'organisation' | 'search'>): Array<[SearchFilter, string]> {
  const rows: Array<[SearchFilter, string]> = [['kind', record.kind]];
  if (record.organisation) rows.push(['publisher', record.organisation]);
  if (record.publisher) rows.push(['publisher', record.publisher]);
  for (const field of VALUE_FIELDS) for (const value of record.search?.values[field] ?? []) rows.push([field, value]);
  return [...new Map(rows.map((row) => [row.join('\u0000'), row])).values()];
}

/** Writes and removes a record's index rows. */
export class SearchIndex {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      deleteText: db.prepare('DELETE FROM search_text WHERE rowid = ?'),
      insertText: db.prepare('INSERT INTO search_text (rowid, title, keyword, description) VALUES (?, ?, ?, ?)'),
      deleteValues: db.prepare('DELETE FROM search_values WHERE n = ?'),
      insertValue: db.prepare('INSERT OR IGNORE INTO search_values (field, value, n) VALUES (?, ?, ?)'),
    };
  }

  /** Indexes record `n` as `record` says, replacing what was indexed for it. */
  index(n: number, record: Pick<RecordInput, 'kind' | 'publisher' | 'organisation' | 'search'>): void {
    this.remove(n);
    const texts = TEXT_FIELDS.map((field) => (record.search?.texts[field] ?? []).map((t) => t.text).join('\n'));
    if (texts.some((t) => t !== '')) this.statements.insertText.run(n, ...texts);
    for (const [field, value] of searchValuesOf(record)) this.statements.insertValue.run(field, value, n);
  }

  remove(n: number): void {
    this.statements.deleteText.run(n);
    this.statements.deleteValues.run(n);
  }
}

/**
 * Indexes every live record again from its N-Triples, a batch of 500 per transaction (`run`
 * decides it: migration 4 runs inside its own); returns how many records. A record whose N-Triples
 * Katalog did not write is found by its kind and publisher only.
 */
export function reindexAll(db: Database.Database, inTransaction: (work: () => void) => void = (work) => work()): number {
  const batch = db.prepare('SELECT n, iri, kind, publisher, organisation, nt FROM records WHERE deleted IS NULL AND n > ? ORDER BY n LIMIT 500');
  const index = new SearchIndex(db);
  type Row = { n: number; iri: string; kind: Kind; publisher: string | null; organisation: string | null; nt: string };
  let count = 0;
  for (let after = 0, rows: Row[]; (rows = batch.all(after) as Row[]).length > 0; after = rows.at(-1)!.n) {
    inTransaction(() => {
      for (const { n, iri, kind, publisher, organisation, nt } of rows) {
        let search;
        try {
          search = searchFieldsOf(triplesOf(nt), DataFactory.namedNode(iri));
        } catch {
          search = undefined;
        }
        index.index(n, { kind, publisher: publisher ?? undefined, organisation: organisation ?? undefined, search });
      }
    });
    count += rows.length;
  }
  return count;
}

/** At most this many values of one filter (docs/search.md). */
export const MAX_FILTER_VALUES = 100;

/** At most this many words of `q` are searched for, each at most this long. */
export const MAX_QUERY_WORDS = 32;
export const MAX_WORD_LENGTH = 64;

/**
 * The FTS5 query for plain words: each word (letters and digits; anything else separates words) a
 * quoted prefix term, all required. Quoting makes every search-engine operator plain text; the
 * prefix finds Norwegian compounds and inflections that begin with the word (`befolkning` finds
 * "Befolkningsstatistikk" and "befolkningen"). Undefined when `q` has no word.
 */
export function matchExpression(q: string): string | undefined {
  const words =
    q
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words.map((w) => w.slice(0, MAX_WORD_LENGTH)))].slice(0, MAX_QUERY_WORDS);
  return terms.length === 0 ? undefined : terms.map((w) => `"${w}"*`).join(' ');
}

/** The condition every search has: live records. */
export const LIVE = 'r.deleted IS NULL';

/** The WHERE clause over `records r` a search query makes, leaving out one filter (for its facet). */
export function searchWhere(query: SearchQuery, without?: SearchFilter): { sql: string; params: unknown[] } {
  const clauses = [LIVE];
  const params: unknown[] = [];
  const match = query.q === undefined ? undefined : matchExpression(query.q);
  if (query.q !== undefined && match === undefined) clauses.push('0');
  if (match !== undefined) {
    clauses.push('r.n IN (SELECT rowid FROM search_text WHERE search_text MATCH ?)');
    params.push(match);
  }
  for (const [field, values] of Object.entries(query.filters ?? {}) as Array<[SearchFilter, string[]]>) {
    if (values.length > MAX_FILTER_VALUES) {
      throw new KatalogError('invalid-request', `A search takes at most ${MAX_FILTER_VALUES} values of one filter; ${field} has ${values.length}.`);
    }
    if (field === without || values.length === 0) continue;
    const marks = values.map(() => '?').join(', ');
    if (field === 'catalog') clauses.push(`r.iri IN (SELECT member FROM members WHERE catalog IN (${marks}))`);
    else {
      // Correlated: a probe of the primary key per candidate, never the field's whole value set.
      clauses.push(`EXISTS (SELECT 1 FROM search_values s WHERE s.field = ? AND s.value IN (${marks}) AND s.n = r.n)`);
      params.push(field);
    }
    params.push(...values);
  }
  if (query.modifiedSince) {
    clauses.push('r.modified >= ?');
    params.push(query.modifiedSince);
  }
  if (query.modifiedBefore) {
    clauses.push('r.modified < ?');
    params.push(query.modifiedBefore);
  }
  return { sql: clauses.join(' AND '), params };
}
