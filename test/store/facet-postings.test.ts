import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byCountThenValue, type FacetCount, FacetPostings, has, intersect, positionsIn, sizeOf, subtract } from '../../src/store/facet-postings.js';

type Row = readonly [string, string, number];

/** What the postings must answer, computed the plain way from a record's (field, value) pairs. */
class Model {
  readonly records = new Map<number, Array<readonly [string, string]>>();

  constructor(rows: Row[] = []) {
    for (const [field, value, n] of rows) this.records.set(n, [...(this.records.get(n) ?? []), [field, value]]);
  }

  has(n: number, field: string, values: Iterable<string>): boolean {
    const wanted = new Set(values);
    return (this.records.get(n) ?? []).some(([f, v]) => f === field && wanted.has(v));
  }

  count(field: string, within?: Set<number>, limit = 100): FacetCount[] {
    const counts = new Map<string, number>();
    for (const [n, pairs] of this.records) {
      if (within && !within.has(n)) continue;
      for (const value of new Set(pairs.filter(([f]) => f === field).map(([, v]) => v))) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort(byCountThenValue)
      .slice(0, limit);
  }
}

const members = (set: Uint32Array): number[] => {
  const found: number[] = [];
  for (let p = 0; p < set.length * 32; p++) if ((set[p >>> 5]! >>> (p & 31)) & 1) found.push(p);
  return found;
};

const ROWS: Row[] = [
  ['theme', 'SOCI', 1],
  ['theme', 'EDUC', 2],
  ['theme', 'SOCI', 2],
  ['theme', 'EDUC', 3],
  ['kind', 'dataset', 1],
  ['kind', 'dataset', 2],
  ['kind', 'dataset', 3],
  ['kind', 'service', 4],
  ['openData', 'true', 1],
  ['openData', 'true', 3],
];

describe('FacetPostings', () => {
  it('keeps each value’s positions sorted, whatever the order of the rows, and counts them', () => {
    const postings = FacetPostings.from([...ROWS].reverse());
    expect(postings.positions('theme', 'SOCI')).toEqual([1, 2]);
    expect(postings.positions('kind', 'dataset')).toEqual([1, 2, 3]);
    expect(postings.positions('theme', 'none')).toEqual([]);
    expect(postings.rows).toBe(ROWS.length);
    // Most first, then by value; only values with a count; at most `limit`.
    expect(postings.count('theme')).toEqual([
      { value: 'EDUC', count: 2 },
      { value: 'SOCI', count: 2 },
    ]);
    expect(postings.count('kind', undefined, 1)).toEqual([{ value: 'dataset', count: 3 }]);
    expect(postings.count('theme', postings.setOf([1, 4]))).toEqual([{ value: 'SOCI', count: 1 }]);
    expect(postings.count('nothing')).toEqual([]);
    // A row given twice counts once.
    expect(FacetPostings.from([...ROWS, ['theme', 'SOCI', 1]]).count('theme')).toEqual(postings.count('theme'));
  });

  it('pages records by a number highest first, then newest, those without one last, every hit once (sort=quality)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1_000 }),
        (scores, size, seed) => {
          // Every record has its kind; some have a score; the hits are every other record, shifted by the seed.
          const rows: Array<[string, string, number]> = scores.flatMap((score, n) => [
            ['kind', 'dataset', n] as [string, string, number],
            ...(score === undefined ? [] : [['qualityScore', String(score), n] as [string, string, number]]),
          ]);
          const postings = FacetPostings.from(rows);
          const hits = postings.setOf(scores.map((_, n) => n).filter((n) => (n + seed) % 3 !== 0));
          const expected = positionsIn(hits)
            .map((n) => ({ n, key: scores[n] ?? -1 }))
            .sort((a, b) => b.key - a.key || b.n - a.n);
          const seen: Array<{ n: number; key: number }> = [];
          let after: { key: number; position: number } | undefined;
          for (;;) {
            const page = postings.byNumber('qualityScore', hits, after, size);
            seen.push(...page);
            if (page.length < size) break;
            after = { key: page.at(-1)!.key, position: page.at(-1)!.n };
          }
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('orders values as JavaScript compares strings, most first', () => {
    const postings = FacetPostings.from([
      ['keyword', 'b', 1],
      ['keyword', 'B', 1],
      ['keyword', 'ø', 1],
      ['keyword', 'a', 1],
      ['keyword', 'z', 2],
      ['keyword', 'z', 1],
    ]);
    expect(postings.count('keyword').map((c) => c.value)).toEqual(['z', 'B', 'a', 'b', 'ø']);
  });

  it('gives the positions of any of a field’s values as a set, and intersects sets', () => {
    const postings = FacetPostings.from(ROWS);
    expect(members(postings.bitsOf('theme', ['SOCI', 'EDUC', 'unknown']))).toEqual([1, 2, 3]);
    expect(members(postings.bitsOf('unknown', ['SOCI']))).toEqual([]);
    const both = intersect(postings.bitsOf('theme', ['EDUC']), postings.bitsOf('openData', ['true']));
    expect(members(both)).toEqual([3]);
    expect(sizeOf(both)).toBe(1);
    expect(sizeOf(postings.setOf([0, 3, 4, 5, 10_000]))).toBe(3); // beyond every position: no value has it
  });

  it('counts each facet over the other filters, and the hits of the conditions outside the postings', () => {
    const postings = FacetPostings.from(ROWS);
    const facets = postings.facets({ filters: { theme: ['EDUC'], openData: [] }, facets: ['theme', 'kind', 'openData'] });
    // The theme facet ignores the theme filter; the empty openData filter filters nothing.
    expect(facets).toEqual({
      theme: postings.count('theme'),
      kind: [{ value: 'dataset', count: 2 }],
      openData: [{ value: 'true', count: 1 }],
    });
    const within = postings.setOf([1, 2, 4]);
    expect(postings.facets({ within, filters: { theme: ['SOCI'], kind: ['dataset'] }, facets: ['theme', 'kind', 'openData'] })).toEqual({
      theme: [
        { value: 'SOCI', count: 2 },
        { value: 'EDUC', count: 1 },
      ],
      kind: [{ value: 'dataset', count: 2 }],
      openData: [{ value: 'true', count: 1 }],
    });
    // `within` is not changed.
    expect(members(within)).toEqual([1, 2, 4]);
    expect(postings.facets({ filters: { theme: ['none'] }, facets: ['kind'] })).toEqual({ kind: [] });
  });

  it('follows replaced and removed records, new values and positions beyond the loaded ones', () => {
    const postings = FacetPostings.from(ROWS);
    postings.replace(2, [
      ['theme', 'ENVI'],
      ['kind', 'dataset'],
    ]);
    postings.remove(3);
    postings.replace(9, [['kind', 'service']]);
    expect(postings.positions('theme', 'EDUC')).toEqual([]);
    expect(postings.positions('theme', 'ENVI')).toEqual([2]);
    expect(postings.count('theme')).toEqual([
      { value: 'ENVI', count: 1 },
      { value: 'SOCI', count: 1 },
    ]);
    expect(postings.count('kind')).toEqual([
      { value: 'dataset', count: 2 },
      { value: 'service', count: 2 },
    ]);
    expect(members(postings.bitsOf('kind', ['service']))).toEqual([4, 9]);
    postings.replace(3, [['theme', 'EDUC']]);
    postings.remove(9);
    postings.remove(9);
    postings.remove(100);
    expect(postings.count('theme')).toEqual([
      { value: 'EDUC', count: 1 },
      { value: 'ENVI', count: 1 },
      { value: 'SOCI', count: 1 },
    ]);
    expect(postings.count('kind', postings.setOf([3, 4, 9]))).toEqual([{ value: 'service', count: 1 }]);
  });

  it('answers as the plain computation does after any sequence of writes', () => {
    const field = fc.constantFrom('theme', 'kind', 'format');
    const value = fc.constantFrom('a', 'b', 'c', 'd');
    const position = fc.integer({ min: 0, max: 90 });
    const pairs = fc.array(fc.tuple(field, value), { maxLength: 5 });
    const write = fc.oneof(
      fc.record({ n: position, pairs }),
      position.map((n) => ({ n, pairs: undefined })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(field, value, position), { maxLength: 60 }),
        fc.array(write, { maxLength: 200 }),
        fc.array(position, { maxLength: 40 }),
        (rows, writes, hits) => {
          const postings = FacetPostings.from(rows);
          const model = new Model(rows);
          for (const { n, pairs } of writes) {
            if (pairs) postings.replace(n, pairs);
            else postings.remove(n);
            if (pairs) model.records.set(n, pairs);
            else model.records.delete(n);
            // Counting between writes sees pending changes as well as merged ones.
            expect(postings.count('kind')).toEqual(model.count('kind'));
          }
          const within = new Set(hits);
          // Every record with a value is live; a record written with none, or removed, is not.
          const live = [...model.records].filter(([, pairs]) => pairs.length > 0).map(([n]) => n);
          expect(members(postings.live())).toEqual(live.sort((x, y) => x - y));
          for (const f of ['theme', 'kind', 'format']) {
            expect(postings.count(f)).toEqual(model.count(f));
            expect(postings.count(f, postings.setOf(hits), 2)).toEqual(model.count(f, within, 2));
            for (const v of ['a', 'b', 'c', 'd']) {
              expect(members(postings.bitsOf(f, [v, 'b']))).toEqual([...model.records.keys()].filter((n) => model.has(n, f, [v, 'b'])).sort((x, y) => x - y));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lists, tests and subtracts a set’s positions as plain arrays do, from any position on', () => {
    const positions = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 80 });
    fc.assert(
      fc.property(positions, positions, fc.integer({ min: -1, max: 210 }), fc.integer({ min: 0, max: 30 }), (a, b, after, limit) => {
        const postings = FacetPostings.from([...a, ...b, 200].map((n) => ['kind', 'dataset', n] as const));
        const sorted = [...new Set(a)].sort((x, y) => x - y);
        const set = postings.setOf(a);
        expect(positionsIn(set)).toEqual(sorted);
        expect(positionsIn(set, after, limit)).toEqual(sorted.filter((n) => n > after).slice(0, limit));
        for (const n of [after, ...b]) expect(has(set, n)).toBe(sorted.includes(n));
        const without = new Set(b);
        expect(positionsIn(subtract(set, postings.setOf(b)))).toEqual(sorted.filter((n) => !without.has(n)));
      }),
      { numRuns: 300 },
    );
  });

  it('counts facets over the other filters as the plain computation does, by postings or by records', () => {
    const fields = ['theme', 'kind', 'format'];
    const field = fc.constantFrom(...fields);
    const value = fc.constantFrom('a', 'b', 'c', 'd');
    const position = fc.integer({ min: 0, max: 90 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(field, value, position), { maxLength: 150 }),
        fc.array(fc.record({ n: position, pairs: fc.array(fc.tuple(field, value), { maxLength: 4 }) }), { maxLength: 30 }),
        fc.option(fc.array(position, { maxLength: 90 }), { nil: undefined }),
        fc.dictionary(field, fc.array(value, { maxLength: 2 })),
        (rows, writes, within, filters) => {
          const postings = FacetPostings.from(rows);
          const model = new Model(rows);
          for (const { n, pairs } of writes) {
            postings.replace(n, pairs);
            model.records.set(n, pairs);
          }
          const facets = postings.facets({ within: within && postings.setOf(within), filters, facets: fields, limit: 3 });
          for (const f of fields) {
            const over = new Set(
              [...model.records.keys()].filter(
                (n) =>
                  (!within || within.includes(n)) && Object.entries(filters).every(([g, values]) => g === f || values.length === 0 || model.has(n, g, values)),
              ),
            );
            expect(facets[f], f).toEqual(model.count(f, over, 3));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps many writes to one value correct across its merges', () => {
    const postings = FacetPostings.from(Array.from({ length: 1000 }, (_, n): Row => ['kind', n % 2 === 0 ? 'even' : 'odd', n]));
    for (let n = 0; n < 1000; n += 3) postings.replace(n, [['kind', 'third']]);
    for (let n = 0; n < 1000; n += 6) postings.remove(n);
    const expected = (value: string) =>
      Array.from({ length: 1000 }, (_, n) => n).filter((n) => (n % 3 === 0 ? value === 'third' && n % 6 !== 0 : value === (n % 2 === 0 ? 'even' : 'odd')));
    for (const value of ['even', 'odd', 'third']) expect(postings.positions('kind', value), value).toEqual(expected(value));
    expect(postings.count('kind')).toEqual(['odd', 'even', 'third'].map((value) => ({ value, count: expected(value).length })).sort(byCountThenValue));
  });

  it('loads from the search index’s value rows', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE search_values (field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (field, value, n)) WITHOUT ROWID');
      const insert = db.prepare('INSERT INTO search_values (field, value, n) VALUES (?, ?, ?)');
      for (const row of ROWS) insert.run(...row);
      insert.run('keyword', 'a, b', 100_000);
      const postings = FacetPostings.load(db);
      expect(postings.rows).toBe(ROWS.length + 1);
      for (const field of ['theme', 'kind', 'openData']) expect(postings.count(field)).toEqual(new Model(ROWS).count(field));
      expect(postings.positions('keyword', 'a, b')).toEqual([100_000]);
      expect(FacetPostings.load(new Database(':memory:').exec('CREATE TABLE search_values (field, value, n)')).rows).toBe(0);
    } finally {
      db.close();
    }
  });
});
