import type { PoolClient } from 'pg';
import { prepared } from './pg-schema.js';
import { TEXT_FIELDS, titleKeys } from '../core/search-fields.js';
import type { RelevanceTerm } from './search-plan.js';
import { searchValuesOf, tokensOf, wordsOf } from './search-plan.js';
import type { RecordInput } from './store.js';

/**
 * The search index of the PostgreSQL store (docs/search.md, "PostgreSQL"). Katalog splits the texts
 * into words itself (search-plan.ts `tokensOf`, as for SQLite) and hands PostgreSQL a tsvector of
 * exactly those words with their positions, weighted by field (A title, B keyword, C description):
 * no text search configuration, dictionary or locale decides what a word is, so both stores find the
 * same records. Queries are tsquery literals of the same words, each a prefix (`:*`).
 */

/** The weight letter of each text field. */
const WEIGHTS = { title: 'A', keyword: 'B', description: 'C' } as const;

/** PostgreSQL keeps positions up to this; later words share it (they are still found). */
const MAX_POSITION = 16383;
/** A word longer than this is indexed by its beginning (a lexeme may hold at most 2 KB). */
const MAX_LEXEME = 256;

/** A record's texts as a tsvector literal: every word with its positions and its field's weight. */
export function tsvectorOf(record: Pick<RecordInput, 'search'>): string | undefined {
  const lexemes = new Map<string, string[]>();
  let position = 0;
  for (const field of TEXT_FIELDS) {
    for (const text of record.search?.texts[field] ?? []) {
      for (const word of tokensOf(text.text)) {
        position = Math.min(position + 1, MAX_POSITION);
        const lexeme = word.slice(0, MAX_LEXEME);
        const positions = lexemes.get(lexeme);
        const entry = `${position}${WEIGHTS[field]}`;
        if (positions) positions.push(entry);
        else lexemes.set(lexeme, [entry]);
      }
      position = Math.min(position + 1, MAX_POSITION); // texts are not one phrase
    }
  }
  if (lexemes.size === 0) return undefined;
  // Words are letters, digits and marks only: nothing in them needs escaping.
  return [...lexemes].map(([lexeme, positions]) => `'${lexeme}':${positions.join(',')}`).join(' ');
}

/** The tsquery of `q`'s words, all required, each a prefix; undefined when `q` has no word. */
export function wordsQuery(q: string): string | undefined {
  const words = wordsOf(q);
  return words.length === 0 ? undefined : words.map((w) => `'${w}':*`).join(' & ');
}

/** A relevance term as a tsquery: its words in a row in its field, the last a prefix. */
export function termQuery(term: RelevanceTerm): string {
  const weight = WEIGHTS[term.column];
  return term.words.map((w, i) => `'${w}':${i === term.words.length - 1 ? '*' : ''}${weight}`).join(' <-> ');
}

type Indexed = { n: number; record: Pick<RecordInput, 'kind' | 'publisher' | 'organisation' | 'search'> };

/**
 * The index rows of records `n` as each `record` says, as the columns a statement inserts with
 * `unnest`: text (n, tsvector), titles (n, nb, nn, en) and values (field, value, n).
 */
export function indexRows(entries: Indexed[]): unknown[][] {
  const texts = entries.flatMap(({ n, record }) => {
    const doc = tsvectorOf(record);
    return doc === undefined ? [] : [{ n, doc }];
  });
  const titles = entries.flatMap(({ n, record }) => {
    const keys = titleKeys(record.search);
    return keys.nb === undefined ? [] : [{ n, ...keys }];
  });
  const values = entries.flatMap(({ n, record }) => searchValuesOf(record).map(([field, value]) => ({ n, field, value })));
  return [
    texts.map((t) => t.n),
    texts.map((t) => t.doc),
    titles.map((t) => t.n),
    titles.map((t) => t.nb),
    titles.map((t) => t.nn ?? null),
    titles.map((t) => t.en ?? null),
    values.map((v) => v.field),
    values.map((v) => v.value),
    values.map((v) => v.n),
  ];
}

/** Writes the index rows of records `n` as each `record` says, replacing what they had (reindex). */
export async function indexRecords(client: PoolClient, entries: Indexed[]): Promise<void> {
  await unindexRecords(
    client,
    entries.map((e) => e.n),
  );
  await prepared(
    client,
    `WITH text AS (INSERT INTO search_text (n, doc) SELECT * FROM unnest($1::bigint[], $2::tsvector[])),
       titles AS (INSERT INTO search_titles (n, nb, nn, en) SELECT * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]))
     INSERT INTO search_values (field, value, n) SELECT DISTINCT * FROM unnest($7::text[], $8::text[], $9::bigint[])`,
    indexRows(entries),
  );
}

/** Removes the index rows of records `ns`. */
export async function unindexRecords(client: PoolClient, ns: number[]): Promise<void> {
  await prepared(
    client,
    `WITH text_gone AS (DELETE FROM search_text WHERE n = ANY($1::bigint[])), values_gone AS (DELETE FROM search_values WHERE n = ANY($1::bigint[]))
     DELETE FROM search_titles WHERE n = ANY($1::bigint[])`,
    [ns],
  );
}
