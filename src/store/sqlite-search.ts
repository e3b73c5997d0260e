import type Database from 'better-sqlite3';
import type { Kind } from '../core/kinds.js';
import { SEARCH_LANGUAGES, type SearchLanguage, TEXT_FIELDS, titleKeys } from '../core/search-fields.js';
import type { FieldsOf, IndexField, RecordInput, SearchCursor, SearchQuery } from './store.js';
import { fieldsFromTriples, type RelevanceTerm, searchValuesOf, wordsOf } from './search-plan.js';

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

/**
 * Migration 5's: the title sort keys per language; the covering index gains the change sequence
 * (a `modified` paging asks it), and the history an index by IRI (the time of a record's write as
 * of a paging's first page).
 */
export const SORT_SCHEMA = `CREATE TABLE search_titles (n INTEGER PRIMARY KEY, nb TEXT, nn TEXT, en TEXT);
  DROP INDEX records_search;
  CREATE INDEX records_search ON records (n, deleted, modified, seq, iri);
  CREATE INDEX changes_iri ON changes (iri, seq);`;

/** Writes and removes a record's index rows. */
export class SearchIndex {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      deleteText: db.prepare('DELETE FROM search_text WHERE rowid = ?'),
      insertText: db.prepare('INSERT INTO search_text (rowid, title, keyword, description) VALUES (?, ?, ?, ?)'),
      deleteValues: db.prepare('DELETE FROM search_values WHERE n = ?'),
      insertValue: db.prepare('INSERT OR IGNORE INTO search_values (field, value, n) VALUES (?, ?, ?)'),
      deleteTitles: db.prepare('DELETE FROM search_titles WHERE n = ?'),
      insertTitles: db.prepare('INSERT INTO search_titles (n, nb, nn, en) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Indexes record `n` as `record` says, replacing what was indexed for it; returns its value rows. */
  index(n: number, record: Pick<RecordInput, 'kind' | 'publisher' | 'organisation' | 'search'>): Array<[IndexField, string]> {
    this.remove(n);
    const texts = TEXT_FIELDS.map((field) => (record.search?.texts[field] ?? []).map((t) => t.text).join('\n'));
    if (texts.some((t) => t !== '')) this.statements.insertText.run(n, ...texts);
    const values = searchValuesOf(record);
    for (const [field, value] of values) this.statements.insertValue.run(field, value, n);
    const titles = titleKeys(record.search);
    if (titles.nb !== undefined) this.statements.insertTitles.run(n, titles.nb, titles.nn, titles.en);
    return values;
  }

  remove(n: number): void {
    this.statements.deleteText.run(n);
    this.statements.deleteValues.run(n);
    this.statements.deleteTitles.run(n);
  }
}

/**
 * Indexes every live record again from its N-Triples, a batch of 500 per transaction (`run`
 * decides it: migration 4 runs inside its own); returns how many records. A record whose N-Triples
 * Katalog did not write is found by its kind and publisher only.
 */
export function reindexAll(
  db: Database.Database,
  inTransaction: (work: () => void) => void = (work) => work(),
  fieldsOf: FieldsOf = fieldsFromTriples,
): number {
  const batch = db.prepare('SELECT n, iri, kind, publisher, organisation, nt FROM records WHERE deleted IS NULL AND n > ? ORDER BY n LIMIT 500');
  const index = new SearchIndex(db);
  type Row = { n: number; iri: string; kind: Kind; publisher: string | null; organisation: string | null; nt: string };
  let count = 0;
  for (let after = 0, rows: Row[]; (rows = batch.all(after) as Row[]).length > 0; after = rows.at(-1)!.n) {
    // The fields first (a score validates the record): the write lock is held for the index rows only.
    const fields = rows.map(({ iri, kind, nt }) => fieldsOf({ iri, kind, nt }));
    inTransaction(() => {
      rows.forEach(({ n, kind, publisher, organisation }, i) => {
        index.index(n, { kind, publisher: publisher ?? undefined, organisation: organisation ?? undefined, search: fields[i] });
      });
    });
    count += rows.length;
  }
  return count;
}

/**
 * The FTS5 query for plain words: each word (letters and digits; anything else separates words) a
 * quoted prefix term, all required. Quoting makes every search-engine operator plain text; the
 * prefix finds Norwegian compounds and inflections that begin with the word (`befolkning` finds
 * "Befolkningsstatistikk" and "befolkningen"). Undefined when `q` has no word.
 */
export function matchExpression(q: string): string | undefined {
  const terms = wordsOf(q);
  return terms.length === 0 ? undefined : terms.map((w) => `"${w}"*`).join(' ');
}

/** A relevance term as an FTS5 query: a column filter and a quoted phrase, its last word a prefix. */
export function fts5Match(term: RelevanceTerm): string {
  return `${term.column} : "${term.words.join(' ')}"*`;
}

/**
 * The key of an order SQL gives (SearchSort), as SQL over `records r`: its expression, parameters
 * and direction. `asOf` is the change a `modified` paging sees the store as of: a record written
 * after it is placed by its latest write up to then, and has no key (is no hit) when it had none
 * (created later, or deleted then).
 */
export function sortKey(query: SearchQuery & { sort: 'modified' | 'title' }, asOf: number): { sql: string; params: unknown[]; descending: boolean } {
  if (query.sort === 'modified') {
    return {
      sql: `CASE WHEN r.seq <= ? THEN r.modified ELSE (SELECT CASE c.op WHEN 'delete' THEN NULL ELSE c.at END FROM changes c WHERE c.iri = r.iri AND c.seq <= ? ORDER BY c.seq DESC LIMIT 1) END`,
      params: [asOf, asOf],
      descending: true,
    };
  }
  const lang: SearchLanguage = SEARCH_LANGUAGES.includes(query.lang!) ? query.lang! : 'nb';
  // A record without a title sorts after every title.
  return { sql: `COALESCE((SELECT t.${lang} FROM search_titles t WHERE t.n = r.n), '\uffff')`, params: [], descending: false };
}

/** The condition on `h (n, k)` of the hits after a cursor, in the order of `sortKey`. */
export function afterCursor(cursor: SearchCursor | undefined, descending: boolean): { sql: string; params: unknown[] } {
  if (!cursor) return { sql: '1', params: [] };
  const op = descending ? '<' : '>';
  return { sql: `(h.k ${op} ? OR (h.k = ? AND h.n ${op} ?))`, params: [cursor.key, cursor.key, cursor.position] };
}

/** The condition every search has: live records. */
export const LIVE = 'r.deleted IS NULL';

/**
 * The conditions of a search that the facet postings do not hold (catalogue, modification time), as
 * a WHERE clause over `records r`; undefined when it has none.
 */
export function sqlConditions(query: Pick<SearchQuery, 'filters' | 'modifiedSince' | 'modifiedBefore'>): { sql: string; params: unknown[] } | undefined {
  const clauses = [LIVE];
  const params: unknown[] = [];
  const catalogs = query.filters?.catalog ?? [];
  if (catalogs.length > 0) {
    clauses.push(`r.iri IN (SELECT member FROM members WHERE catalog IN (${catalogs.map(() => '?').join(', ')}))`);
    params.push(...catalogs);
  }
  if (query.modifiedSince) {
    clauses.push('r.modified >= ?');
    params.push(query.modifiedSince);
  }
  if (query.modifiedBefore) {
    clauses.push('r.modified < ?');
    params.push(query.modifiedBefore);
  }
  return clauses.length === 1 ? undefined : { sql: clauses.join(' AND '), params };
}
