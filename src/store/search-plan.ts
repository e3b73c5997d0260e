import { KatalogError } from '../core/errors.js';
import { type FacetPostings, has, type PositionSet, positionsIn } from './facet-postings.js';
import { VALUE_FIELDS } from '../core/search-fields.js';
import { DataFactory } from 'n3';
import { searchFieldsOf } from '../core/search-fields.js';
import { triplesOf } from '../core/serialize/representations.js';
import { type FieldsOf, type IndexField, QUALITY_SCORE, type RecordInput, type SearchCursor, type SearchFilter, type SearchQuery } from './store.js';

/**
 * What every store's search shares (docs/search.md, "How a search runs"): the words of `q`, the
 * relevance terms, the checks a query must pass before any work, and the orders made from a hit set
 * in memory. Each backend renders the terms in its own text-search syntax and finds the rows.
 */

/** At most this many values of one filter (docs/search.md). */
export const MAX_FILTER_VALUES = 100;

/**
 * A value longer than this (a keyword of a thousand characters) is not indexed for filters and
 * facets: no one filters by it, and an index entry has a size limit (PostgreSQL's about 2,700 bytes).
 * Its words are still found by `q`.
 */
export const MAX_VALUE_LENGTH = 512;

/** At most this many words of `q` are searched for, each at most this long. */
export const MAX_QUERY_WORDS = 32;
export const MAX_WORD_LENGTH = 64;
/** The first this many words of `q` count in the relevance score (SearchSort). */
export const RANKED_WORDS = 8;

/** Letters, digits and combining marks make words; anything else separates them. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of a text as indexed: NFC, lower case, in order (repeats kept). */
export function tokensOf(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(WORD) ?? [];
}

/** The words of `q` as searched for: each once, bounded. */
export function wordsOf(q: string): string[] {
  return [...new Set(tokensOf(q).map((w) => w.slice(0, MAX_WORD_LENGTH)))].slice(0, MAX_QUERY_WORDS);
}

/** The search fields of a stored record's N-Triples, without a quality score; undefined when Katalog did not write them (they do not parse). */
export const fieldsFromTriples: FieldsOf = ({ iri, nt }) => {
  try {
    return searchFieldsOf(triplesOf(nt), DataFactory.namedNode(iri));
  } catch {
    return undefined;
  }
};

/** The (field, value) pairs a record is found by: what it says of itself, and the store's bookkeeping. */
export function searchValuesOf(record: Pick<RecordInput, 'kind' | 'publisher' | 'organisation' | 'search'>): Array<[IndexField, string]> {
  const rows: Array<[IndexField, string]> = [['kind', record.kind]];
  if (record.organisation) rows.push(['publisher', record.organisation]);
  if (record.publisher) rows.push(['publisher', record.publisher]);
  for (const field of VALUE_FIELDS) for (const value of record.search?.values[field] ?? []) rows.push([field, value]);
  const quality = record.search?.quality;
  if (quality) rows.push(['quality', quality.rating], [QUALITY_SCORE, String(quality.score)]);
  const kept = rows.filter(([, value]) => value.length <= MAX_VALUE_LENGTH);
  return [...new Map(kept.map((row) => [row.join('\u0000'), row])).values()];
}

/** A text column of the index. */
export type TextColumn = 'title' | 'keyword' | 'description';

/**
 * One term of the relevance score: the records whose `column` has `words` in a row (the last as a
 * prefix; one word: a word beginning with it) get `weight`.
 */
export interface RelevanceTerm {
  column: TextColumn;
  words: string[];
  weight: number;
}

/**
 * What the relevance score of a record adds up (SearchSort): per ranked word, 15 / 5 / 1 when its
 * title / keyword / description has a word beginning with it, and 30 when its title has the words
 * as a phrase (the last one as a prefix). A term asked twice (a phrase of one word is its title
 * term) is asked once with both weights. The highest score is 30 + 8 × 21 = 198.
 */
export function relevanceTerms(q: string): RelevanceTerm[] {
  const words = wordsOf(q).slice(0, RANKED_WORDS);
  if (words.length === 0) return [];
  const terms = new Map<string, RelevanceTerm>();
  const add = (column: TextColumn, words: string[], weight: number) => {
    const key = `${column} ${words.join(' ')}`;
    const term = terms.get(key);
    if (term) term.weight += weight;
    else terms.set(key, { column, words, weight });
  };
  add('title', words, 30);
  for (const word of words) {
    add('title', [word], 15);
    add('keyword', [word], 5);
    add('description', [word], 1);
  }
  return [...terms.values()];
}

/**
 * Refuses what no search may ask, before any work: more than MAX_FILTER_VALUES values of a filter,
 * or a cursor made for another order than the query's.
 */
export function checkQuery(query: SearchQuery): void {
  for (const [field, values] of Object.entries(query.filters ?? {}) as Array<[SearchFilter, string[]]>) {
    if (values.length > MAX_FILTER_VALUES) {
      throw new KatalogError('invalid-request', `A search takes at most ${MAX_FILTER_VALUES} values of one filter; ${field} has ${values.length}.`);
    }
  }
  const cursor = query.after;
  if (cursor && cursor.sort !== (query.sort ?? 'position')) {
    throw new KatalogError(
      'invalid-request',
      `This cursor pages hits sorted by ${cursor.sort}, not by ${query.sort ?? 'position'}: follow the next link as given.`,
    );
  }
}

/** A hit of a page, with its sort key (none for `position`). */
export interface OrderedHit {
  n: number;
  key?: string | number;
}

/** The hits after the cursor by position, at most `size`. */
export function byPosition(hits: PositionSet, after: SearchCursor | undefined, size: number): OrderedHit[] {
  return positionsIn(hits, after?.position ?? -1, size).map((n) => ({ n }));
}

/**
 * The relevance scores of the hits (SearchSort), by position: each term's rows (`rowsOf`: any
 * record; those not in `hits` are ignored) add its weight.
 */
export function termScores(hits: PositionSet, q: string, rowsOf: (term: RelevanceTerm) => Iterable<number>): Uint8Array {
  const scores = new Uint8Array(hits.length << 5); // at most 198: relevanceTerms
  if (hits.every((word) => word === 0)) return scores; // no hit: no term to ask for
  for (const term of relevanceTerms(q)) for (const n of rowsOf(term)) if (has(hits, n)) scores[n]! += term.weight;
  return scores;
}

/** The hits after the cursor by relevance (highest score first, then newest position), at most `size`. */
export function byRelevance(hits: PositionSet, scoreOf: (n: number) => number, after: SearchCursor | undefined, size: number): OrderedHit[] {
  let candidates = positionsIn(hits);
  if (after) {
    const key = Number(after.key);
    candidates = candidates.filter((n) => scoreOf(n) < key || (scoreOf(n) === key && n < after.position));
  }
  candidates.sort((a, b) => scoreOf(b) - scoreOf(a) || b - a);
  return candidates.slice(0, size).map((n) => ({ n, key: scoreOf(n) }));
}

/**
 * The hits after the cursor by quality score (SearchSort), from the index's QUALITY_SCORE values:
 * records without a score (not datasets) after every score.
 */
export function byQuality(postings: FacetPostings, hits: PositionSet, after: SearchCursor | undefined, size: number): OrderedHit[] {
  return postings.byNumber(QUALITY_SCORE, hits, after && { key: Number(after.key), position: after.position }, size);
}

/** The cursor of the page after `page`, when the search found more hits than a page (`found` of them). */
export function nextCursor(query: SearchQuery, page: OrderedHit[], found: number, asOf: number): SearchCursor | undefined {
  const last = page.at(-1);
  if (found <= query.limit || !last) return undefined;
  return {
    sort: query.sort ?? 'position',
    position: last.n,
    ...(last.key !== undefined && last.key !== null ? { key: last.key } : {}),
    ...(query.sort === 'modified' ? { asOf } : {}),
  };
}
