import type Database from 'better-sqlite3';

/**
 * Facet counting from memory (docs/search.md, "The index"): for each (field, value) of the
 * search index's value rows, the sorted positions of the live records that have it. A search's hit
 * set is a bit set over positions; a facet value's count is the number of its positions set in the
 * bits of the hits (of the other filters, for a filtered field). The store stays the source of
 * truth: these are loaded from `search_values` and kept up to date with the store's own writes.
 */

/** A set of record positions: bit `p & 31` of word `p >>> 5` is position p. */
export type PositionSet = Uint32Array;

/** One value of a facet and how many records of the set have it. */
export interface FacetCount {
  value: string;
  count: number;
}

/** What the facets of one search are counted over (see FacetPostings.facets). */
export interface FacetQuery {
  /** The hits of the conditions that are not postings (words, catalogue, time); undefined: every live record. */
  within?: PositionSet;
  /** Per field, the values a record must have one of (OR within a field, AND across fields); an empty list filters nothing. */
  filters?: Readonly<Record<string, readonly string[] | undefined>>;
  /** The fields to count values of, each over the other filters (a facet does not filter itself). */
  facets: readonly string[];
  /** The hits, when the caller has them (`hitsOf` this query, or fewer): the facets of unfiltered fields count over these. */
  hits?: PositionSet;
  /** At most this many values per facet. */
  limit?: number;
}

/** A value keeps at least this many changes aside before merging them into its sorted array (see `compactIfDue`). */
const MIN_PENDING = 16;

/** Most first, then by value (JavaScript's string order): the order a search gives its facet values in. */
export function byCountThenValue(a: FacetCount, b: FacetCount): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/** An Int32Array that grows as numbers are appended. */
class Growing {
  data = new Int32Array(1 << 12);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
}

export class FacetPostings {
  /** The id of each (field, value), by field then value. */
  private readonly ids: Map<string, Map<string, number>>;
  /** By id: the value's text. */
  private readonly values: string[];
  /** By id: the value's positions as loaded or last compacted, sorted, without repeats. */
  private readonly sorted: Int32Array[] = [];
  /** By id: changes since `sorted` (true: a position added that `sorted` lacks; false: one of `sorted` removed). */
  private readonly pending: Array<Map<number, boolean> | undefined> = [];
  /** By id: how many positions the value has now. */
  private readonly sizes: number[] = [];
  /** The ids of each record's values as loaded: record n's are `forward[start[n]..start[n + 1])`. */
  private readonly forward: Int32Array;
  private readonly start: Int32Array;
  /** Records written since loading: the ids of their values now (empty: removed). */
  private readonly rewritten = new Map<number, Int32Array>();
  /** Every position is below this; the size of a PositionSet in bits. */
  private bound: number;
  /** How many (field, value, position) rows, and how many records have any. */
  private rowCount = 0;
  private recordCount = 0;

  private constructor(built: Builder) {
    const { ids, values, rowIds, positions } = built;
    const rows = { ids: rowIds.data, positions: positions.data, length: rowIds.length };
    this.ids = ids;
    this.values = values;
    const count = values.length;
    // Positions grouped by value id (a counting sort, stable: rows already in position order stay so).
    const offsets = new Int32Array(count + 1);
    for (let i = 0; i < rows.length; i++) offsets[rows.ids[i]! + 1]!++;
    for (let id = 0; id < count; id++) offsets[id + 1]! += offsets[id]!;
    const all = new Int32Array(rows.length);
    const cursor = offsets.slice(0, count);
    let bound = 0;
    for (let i = 0; i < rows.length; i++) {
      const p = rows.positions[i]!;
      all[cursor[rows.ids[i]!]!++] = p;
      if (p >= bound) bound = p + 1;
    }
    this.bound = bound;
    for (let id = 0; id < count; id++) {
      let list: Int32Array = all.subarray(offsets[id], offsets[id + 1]);
      if (!isStrictlyAscending(list)) list = uniqueSorted(list);
      this.sorted.push(list);
      this.pending.push(undefined);
      this.sizes.push(list.length);
    }
    // Each record's value ids (again a counting sort, by position).
    this.start = new Int32Array(bound + 1);
    for (const list of this.sorted) for (let i = 0; i < list.length; i++) this.start[list[i]! + 1]!++;
    for (let p = 0; p < bound; p++) this.start[p + 1]! += this.start[p]!;
    this.forward = new Int32Array(this.start[bound]!);
    const next = this.start.slice(0, bound);
    this.sorted.forEach((list, id) => {
      for (let i = 0; i < list.length; i++) this.forward[next[list[i]!]!++] = id;
    });
    this.rowCount = this.forward.length;
    for (let p = 0; p < bound; p++) if (this.start[p + 1]! > this.start[p]!) this.recordCount++;
  }

  /** Postings of (field, value, position) rows, in any order; a row given twice counts once. */
  static from(rows: Iterable<readonly [string, string, number]>): FacetPostings {
    const builder = new Builder();
    for (const [field, value, n] of rows) builder.add(field, value, n);
    return new FacetPostings(builder);
  }

  /**
   * Postings of the search index's value rows (only live records have rows there), read in
   * primary-key order: one row per value with its positions as text, which reads a million rows
   * several times faster than a JavaScript call per row.
   */
  static load(db: Database.Database): FacetPostings {
    return FacetPostings.fromLists(
      db.prepare("SELECT field, value, group_concat(n, ',') FROM search_values GROUP BY field, value").raw().iterate() as Iterable<[string, string, string]>,
    );
  }

  /** Postings of (field, value, positions) rows, the positions as decimal numbers separated by commas. */
  static fromLists(lists: Iterable<readonly [string, string, string]>): FacetPostings {
    const builder = new Builder();
    for (const [field, value, positions] of lists) builder.addList(field, value, positions);
    return new FacetPostings(builder);
  }

  /** The number of (field, value, position) rows held. */
  get rows(): number {
    return this.rowCount;
  }

  /** The number of records with any row. */
  get records(): number {
    return this.recordCount;
  }

  /** An empty set of positions, large enough for every position held. */
  emptySet(): PositionSet {
    return new Uint32Array((this.bound + 31) >>> 5);
  }

  /** The set of these positions (those beyond every position held are left out: no value has them). */
  setOf(positions: Iterable<number>): PositionSet {
    const set = this.emptySet();
    for (const p of positions) if (p >= 0 && p < this.bound) set[p >>> 5]! |= 1 << (p & 31);
    return set;
  }

  /** The records with any value: every live record the index holds (each has its kind). */
  live(): PositionSet {
    const set = this.emptySet();
    const loaded = this.start.length - 1;
    for (let p = 0; p < loaded; p++) if (this.start[p + 1]! > this.start[p]! && !this.rewritten.has(p)) set[p >>> 5]! |= 1 << (p & 31);
    for (const [p, ids] of this.rewritten) if (ids.length > 0) set[p >>> 5]! |= 1 << (p & 31);
    return set;
  }

  /** The positions of the records that have any of `values` in `field`. */
  bitsOf(field: string, values: Iterable<string>): PositionSet {
    const set = this.emptySet();
    const ids = this.ids.get(field);
    if (!ids) return set;
    for (const value of new Set(values)) {
      const id = ids.get(value);
      if (id === undefined) continue;
      this.compact(id);
      const list = this.sorted[id]!;
      for (let i = 0; i < list.length; i++) {
        const p = list[i]!;
        set[p >>> 5]! |= 1 << (p & 31);
      }
    }
    return set;
  }

  /**
   * Per value of `field`, how many of its records are in `within` (undefined: every record): the
   * values with a count, most first, then by value, at most `limit`.
   */
  count(field: string, within?: PositionSet, limit = 100): FacetCount[] {
    return this.ranked(field, within ? (id) => this.countIn(id, within) : (id) => this.sizes[id]!, limit);
  }

  /** The records of `within` and of every filter; undefined: every record. */
  hitsOf(query: Pick<FacetQuery, 'within' | 'filters'>): PositionSet | undefined {
    return this.over(query.within, this.filterSets(query.filters));
  }

  /**
   * The facets of one search: each facet field counted over `within` and every filter but its own
   * field's. A filter on a field no record has leaves nothing.
   */
  facets(query: FacetQuery): Record<string, FacetCount[]> {
    const filters = this.filterSets(query.filters);
    // The facets counted over one set: the unfiltered fields' over the hits, each filtered field's over its own.
    const groups = new Map<string, { set: PositionSet | undefined; fields: string[] }>();
    for (const field of new Set(query.facets)) {
      const key = filters.has(field) ? field : '';
      const group = groups.get(key);
      if (group) group.fields.push(field);
      else
        groups.set(key, {
          set: filters.has(field) ? this.over(query.within, filters, field) : (query.hits ?? this.over(query.within, filters)),
          fields: [field],
        });
    }
    const result: Record<string, FacetCount[]> = {};
    for (const { set, fields } of groups.values()) {
      // By the set's records' own values when they are fewer than the fields' postings, else by the postings.
      const rows = fields.reduce((sum, field) => sum + this.rowsOf(field), 0);
      const byRecord = set && sizeOf(set) * (this.rowCount / Math.max(1, this.recordCount)) < rows ? this.countByRecord(set) : undefined;
      for (const field of fields) result[field] = byRecord ? this.ranked(field, (id) => byRecord[id]!, query.limit) : this.count(field, set, query.limit);
    }
    return result;
  }

  /** The values of `field` with a count, most first, then by value, at most `limit`. */
  private ranked(field: string, countOf: (id: number) => number, limit = 100): FacetCount[] {
    const counts: FacetCount[] = [];
    for (const [value, id] of this.ids.get(field) ?? []) {
      const count = countOf(id);
      if (count > 0) counts.push({ value, count });
    }
    return counts.sort(byCountThenValue).slice(0, limit);
  }

  /** How many (value, position) rows `field` has. */
  private rowsOf(field: string): number {
    let rows = 0;
    for (const id of this.ids.get(field)?.values() ?? []) rows += this.sizes[id]!;
    return rows;
  }

  /** By value id, how many records of `set` have the value: a pass over those records' values. */
  private countByRecord(set: PositionSet): Int32Array {
    const counts = new Int32Array(this.values.length);
    const loaded = this.start.length - 1;
    for (let w = 0; w < set.length; w++) {
      for (let word = set[w]!; word !== 0; word &= word - 1) {
        const p = (w << 5) | (31 - Math.clz32(word & -word));
        const ids = this.rewritten.size > 0 ? this.rewritten.get(p) : undefined;
        if (ids) for (let i = 0; i < ids.length; i++) counts[ids[i]!]!++;
        else if (p < loaded) for (let i = this.start[p]!, end = this.start[p + 1]!; i < end; i++) counts[this.forward[i]!]!++;
      }
    }
    return counts;
  }

  /** Each filter's positions, by field (a filter with no values filters nothing). */
  private filterSets(filters: FacetQuery['filters'] = {}): Map<string, PositionSet> {
    const sets = new Map<string, PositionSet>();
    for (const [field, values] of Object.entries(filters)) if (values && values.length > 0) sets.set(field, this.bitsOf(field, values));
    return sets;
  }

  /** The records of `within` and of every filter but `without`'s; undefined: every record. */
  private over(within: PositionSet | undefined, filters: Map<string, PositionSet>, without?: string): PositionSet | undefined {
    let set: PositionSet | undefined = within?.slice();
    for (const [field, bits] of filters) if (field !== without) set = set ? intersect(set, bits) : bits.slice();
    return set;
  }

  /** Record n now has these (field, value) pairs and no others. */
  replace(n: number, rows: Iterable<readonly [string, string]>): void {
    const now = new Set<number>();
    for (const [field, value] of rows) now.add(this.idOf(field, value));
    const before = new Set(this.idsOfRecord(n));
    for (const id of before) if (!now.has(id)) this.removePosition(id, n);
    for (const id of now) if (!before.has(id)) this.addPosition(id, n);
    this.rewritten.set(n, Int32Array.from(now));
    this.rowCount += now.size - before.size;
    this.recordCount += Number(now.size > 0) - Number(before.size > 0);
    if (n >= this.bound && now.size > 0) this.bound = n + 1;
  }

  /** Record n has no values any more (deleted). */
  remove(n: number): void {
    this.replace(n, []);
  }

  /**
   * The records of `within` ordered by their value of `field` as a number (one value a record),
   * highest first, then highest position first; those without a value after all of them (key -1).
   * Only what the page needs is walked: the values from the highest down, each value's positions from
   * the last, until `size` are found after `after` (the previous page's last key and position).
   */
  byNumber(field: string, within: PositionSet, after: { key: number; position: number } | undefined, size: number): Array<{ n: number; key: number }> {
    const found: Array<{ n: number; key: number }> = [];
    const values = [...(this.ids.get(field) ?? [])]
      .map(([value, id]) => ({ x: Number(value), id }))
      .filter(({ x }) => Number.isFinite(x) && x >= 0)
      .sort((a, b) => b.x - a.x);
    for (const { x, id } of values) {
      if (after && x > after.key) continue;
      this.compact(id);
      const list = this.sorted[id]!;
      for (let i = list.length - 1; i >= 0 && found.length < size; i--) {
        const p = list[i]!;
        if (after && x === after.key && p >= after.position) continue;
        if (has(within, p)) found.push({ n: p, key: x });
      }
      if (found.length >= size) return found;
    }
    // The records without a value, newest first.
    const valued = this.bitsOf(
      field,
      values.map(({ id }) => this.values[id]!),
    );
    const below = after?.key === -1 ? after.position : this.bound;
    for (let p = Math.min(below, this.bound) - 1; p >= 0 && found.length < size; p--) {
      if (has(within, p) && !has(valued, p)) found.push({ n: p, key: -1 });
    }
    return found;
  }

  /** The positions of one value, sorted (for tests and inspection). */
  positions(field: string, value: string): number[] {
    const id = this.ids.get(field)?.get(value);
    if (id === undefined) return [];
    this.compact(id);
    return [...this.sorted[id]!];
  }

  private idOf(field: string, value: string): number {
    let ids = this.ids.get(field);
    if (!ids) this.ids.set(field, (ids = new Map()));
    let id = ids.get(value);
    if (id === undefined) {
      ids.set(value, (id = this.values.length));
      this.values.push(value);
      this.sorted.push(new Int32Array(0));
      this.pending.push(undefined);
      this.sizes.push(0);
    }
    return id;
  }

  private idsOfRecord(n: number): Int32Array {
    return this.rewritten.get(n) ?? (n + 1 < this.start.length ? this.forward.subarray(this.start[n], this.start[n + 1]) : new Int32Array(0));
  }

  /** Adds position n, which value `id` does not have. */
  private addPosition(id: number, n: number): void {
    const pending = (this.pending[id] ??= new Map());
    if (pending.get(n) === false) pending.delete(n);
    else pending.set(n, true);
    this.sizes[id]!++;
    this.compactIfDue(id);
  }

  /** Removes position n, which value `id` has. */
  private removePosition(id: number, n: number): void {
    const pending = (this.pending[id] ??= new Map());
    if (pending.get(n) === true) pending.delete(n);
    else pending.set(n, false);
    this.sizes[id]!--;
    this.compactIfDue(id);
  }

  /**
   * Changes wait beside a value's sorted array until they are an eighth of it: merging them costs
   * the array's length, so a write costs a constant share of it, amortised.
   */
  private compactIfDue(id: number): void {
    const pending = this.pending[id]!;
    if (pending.size > Math.max(MIN_PENDING, this.sorted[id]!.length >>> 3)) this.compact(id);
  }

  /** Merges value `id`'s pending changes into its sorted array. */
  private compact(id: number): void {
    const pending = this.pending[id];
    if (!pending || pending.size === 0) return;
    const list = this.sorted[id]!;
    const added = Int32Array.from([...pending].flatMap(([p, add]) => (add ? [p] : []))).sort();
    const merged = new Int32Array(this.sizes[id]!);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < list.length || j < added.length) {
      if (j === added.length || (i < list.length && list[i]! < added[j]!)) {
        const p = list[i++]!;
        if (pending.get(p) !== false) merged[k++] = p;
      } else merged[k++] = added[j++]!;
    }
    this.sorted[id] = merged;
    this.pending[id] = undefined;
  }

  /** How many of value `id`'s positions are in `within`. */
  private countIn(id: number, within: PositionSet): number {
    const list = this.sorted[id]!;
    const bound = within.length << 5;
    let count = 0;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (p >= bound) break;
      count += (within[p >>> 5]! >>> (p & 31)) & 1;
    }
    const pending = this.pending[id];
    if (pending) {
      for (const [p, added] of pending) if (p < bound && ((within[p >>> 5]! >>> (p & 31)) & 1) === 1) count += added ? 1 : -1;
    }
    return count;
  }
}

/** `target` ∩ `other`, in `target`. */
export function intersect(target: PositionSet, other: PositionSet): PositionSet {
  const common = Math.min(target.length, other.length);
  for (let i = 0; i < common; i++) target[i]! &= other[i]!;
  target.fill(0, common);
  return target;
}

/** `target` without the positions of `other`, in `target`. */
export function subtract(target: PositionSet, other: PositionSet): PositionSet {
  const common = Math.min(target.length, other.length);
  for (let i = 0; i < common; i++) target[i]! &= ~other[i]!;
  return target;
}

/** Whether position p is in the set. */
export function has(set: PositionSet, p: number): boolean {
  return p >= 0 && p >>> 5 < set.length && ((set[p >>> 5]! >>> (p & 31)) & 1) === 1;
}

/** The positions of a set above `after`, ascending, at most `limit`. */
export function positionsIn(set: PositionSet, after = -1, limit = Infinity): number[] {
  const out: number[] = [];
  const from = after + 1;
  for (let w = Math.max(0, from >>> 5); w < set.length && out.length < limit; w++) {
    let word = set[w]!;
    if (w === from >>> 5) word &= ~((1 << (from & 31)) - 1); // the positions up to `after` left out
    for (; word !== 0 && out.length < limit; word &= word - 1) out.push((w << 5) | (31 - Math.clz32(word & -word)));
  }
  return out;
}

/** How many positions a set holds. */
export function sizeOf(set: PositionSet): number {
  let count = 0;
  for (let i = 0; i < set.length; i++) {
    let w = set[i]!;
    w -= (w >>> 1) & 0x55555555;
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    count += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return count;
}

/** Collects rows as value ids and positions, then builds the postings. */
class Builder {
  readonly ids = new Map<string, Map<string, number>>();
  readonly values: string[] = [];
  readonly rowIds = new Growing();
  readonly positions = new Growing();
  private lastField?: Map<string, number>;
  private lastFieldName?: string;

  private idOf(field: string, value: string): number {
    if (field !== this.lastFieldName) {
      let ids = this.ids.get(field);
      if (!ids) this.ids.set(field, (ids = new Map()));
      [this.lastField, this.lastFieldName] = [ids, field];
    }
    let id = this.lastField!.get(value);
    if (id === undefined) {
      this.lastField!.set(value, (id = this.values.length));
      this.values.push(value);
    }
    return id;
  }

  add(field: string, value: string, n: number): void {
    this.rowIds.push(this.idOf(field, value));
    this.positions.push(n);
  }

  /** A value's positions as decimal numbers separated by commas. */
  addList(field: string, value: string, positions: string): void {
    const id = this.idOf(field, value);
    let n = 0;
    for (let i = 0; i < positions.length; i++) {
      const c = positions.charCodeAt(i);
      if (c === 44) {
        this.rowIds.push(id);
        this.positions.push(n);
        n = 0;
      } else n = n * 10 + (c - 48);
    }
    if (positions.length > 0) {
      this.rowIds.push(id);
      this.positions.push(n);
    }
  }
}

function isStrictlyAscending(list: Int32Array): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! >= list[i]!) return false;
  return true;
}

function uniqueSorted(list: Int32Array): Int32Array {
  const sorted = list.slice().sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (k === 0 || sorted[k - 1] !== sorted[i]) sorted[k++] = sorted[i]!;
  return sorted.slice(0, k);
}
