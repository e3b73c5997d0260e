import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KatalogError } from '../core/errors.js';
import type { Kind } from '../core/kinds.js';
import type { RepresentationName } from '../core/serialize/representations.js';
import { migrate } from './sqlite-schema.js';
import { NodePartsTable } from './sqlite-parts.js';
import { FacetPostings, intersect, type PositionSet, positionsIn, sizeOf, subtract } from './facet-postings.js';
import { afterCursor, fts5Match, LIVE, matchExpression, reindexAll, SearchIndex, sortKey, sqlConditions } from './sqlite-search.js';
import {
  checkPreconditions,
  type ClaimRow,
  claimsOf,
  type Dialect,
  type KeyRow,
  changesFrom,
  changeConditions,
  LIVE_CATALOG_OF,
  type ListedRow,
  recordColumns,
  recordWhere,
  type Row,
  toKey,
  toRecord,
  versionOf,
} from './records.js';
import { byPosition, byQuality, byRelevance, checkQuery, nextCursor, type OrderedHit, termScores } from './search-plan.js';
import type {
  ApiKeyRecord,
  Change,
  ChangeQuery,
  IriClaim,
  RecordHead,
  RecordInput,
  RecordQuery,
  FieldsOf,
  IndexField,
  SearchQuery,
  SearchResult,
  Store,
  StoredRecord,
  StoreState,
  Tombstone,
  WriteOptions,
} from './store.js';

/** SQLite's way with parameters and JSON arrays (records.ts Dialect). */
const SQLITE: Dialect = { mark: () => '?', arrayOf: (value) => `json_group_array(${value})`, tuple: (values) => `json_array(${values.join(', ')})` };

const columns = (only?: RepresentationName, sharedParts?: boolean) => recordColumns(SQLITE, only, sharedParts);

function where(query: RecordQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  return { sql: recordWhere(SQLITE, query, params), params };
}

/** How often changeMark looks for commits by other processes. */
export const OTHER_WRITES_CHECK_MS = 20;

/**
 * The embedded store: one SQLite file in write-ahead-log mode with synchronous=FULL, so that a
 * committed write survives a crash or power loss. better-sqlite3 is synchronous; the async
 * methods only fit the Store interface.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly reads = new Map<string, Database.Statement>();
  private readonly searchIndex: SearchIndex;
  private readonly parts: NodePartsTable;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // Records carry three representations of a few KB each: with large pages a record is read
    // from one or two pages instead of a chain of overflow pages (takes effect on a new file only).
    this.db.pragma('page_size = 65536');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('cache_size = -65536'); // 64 MB of pages: the indexes and the hottest records
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.searchIndex = new SearchIndex(this.db);
    this.parts = new NodePartsTable(this.db);
    this.statements = {
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
      matching: this.db.prepare('SELECT rowid FROM search_text WHERE search_text MATCH ?').pluck(),
      head: this.db.prepare('SELECT iri, version, modified FROM records INDEXED BY records_head WHERE kind = ? AND id = ? AND deleted IS NULL'),
      anyByIri: this.db.prepare('SELECT n, kind, id, created, version, deleted, organisation FROM records WHERE iri = ?'),
      idTaken: this.db.prepare('SELECT iri FROM records WHERE kind = ? AND id = ? AND iri <> ?'),
      nextChange: this.db.prepare(
        `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0) + 1 AS seq, (SELECT at FROM changes ORDER BY seq DESC LIMIT 1) AS latest`,
      ),
      change: this.db.prepare(`INSERT INTO changes (seq, iri, op, at, kind, id, version, publisher, organisation, nt, ttl, jsonld)
        VALUES (@seq, @iri, @op, @at, @kind, @id, @version, @publisher, @organisation, @nt, @ttl, @jsonld)`),
      insert: this.db.prepare(`INSERT INTO records (iri, kind, id, publisher, organisation, created, modified, version, seq, deleted, nt, ttl, jsonld)
        VALUES (@iri, @kind, @id, @publisher, @organisation, @created, @modified, @version, @seq, NULL, @nt, @ttl, @jsonld)`),
      update: this.db.prepare(`UPDATE records SET kind = @kind, id = @id, publisher = @publisher, organisation = @organisation,
        created = @created, modified = @modified, version = @version, seq = @seq, deleted = NULL, nt = @nt, ttl = @ttl, jsonld = @jsonld
        WHERE iri = @iri`),
      tombstone: this.db.prepare(`UPDATE records SET deleted = ?, seq = ?, version = ?, modified = ?, nt = '', ttl = '', jsonld = '' WHERE iri = ?`),
      clearMembers: this.db.prepare('DELETE FROM members WHERE catalog = ?'),
      nodeTriples: this.db.prepare('SELECT nt FROM node_parts WHERE node = ? AND hash = ? LIMIT 1').pluck(),
      lastChange: this.db.prepare('SELECT seq, at FROM changes ORDER BY seq DESC LIMIT 1'),
      catalogOf: this.db.prepare(`SELECT ${LIVE_CATALOG_OF.replace('r.iri', '?')} AS catalog`),
      addMember: this.db.prepare('INSERT OR IGNORE INTO members (catalog, member) VALUES (?, ?)'),
      tombstones: this.db.prepare('SELECT iri, kind, id, seq, deleted FROM records WHERE deleted IS NOT NULL AND seq > ? ORDER BY seq'),
      state: this.db.prepare(`SELECT (SELECT COALESCE(MAX(seq), 0) FROM changes) AS lastSeq,
        (SELECT at FROM changes ORDER BY seq DESC LIMIT 1) AS lastModified,
        (SELECT COUNT(*) FROM records WHERE deleted IS NULL) AS count`),
    };
  }

  /** A read prepared once per shape and representation kept (`only`). */
  private prepared(shape: string, only: RepresentationName | undefined, sql: () => string): Database.Statement {
    const key = `${shape} ${only ?? 'all'}`;
    let statement = this.reads.get(key);
    if (!statement) this.reads.set(key, (statement = this.db.prepare(sql())));
    return statement;
  }

  async get(kind: Kind, id: string, only?: RepresentationName): Promise<StoredRecord | undefined> {
    const row = this.prepared('byId', only, () => `SELECT ${columns(only)} FROM records r WHERE r.kind = ? AND r.id = ? AND r.deleted IS NULL`).get(
      kind,
      id,
    ) as Row | undefined;
    return row && toRecord(row);
  }

  /** Writes committed through this connection. */
  private commits = 0;

  private otherWrites = { version: 0, checked: 0 };

  /**
   * Writes through this store change the mark at once. Another connection's commits (another
   * process) show in SQLite's data_version, which costs about as much as a small query to read:
   * it is read at most every OTHER_WRITES_CHECK_MS, so such writes are seen that much later.
   */
  changeMark(): string {
    const now = performance.now();
    if (now - this.otherWrites.checked >= OTHER_WRITES_CHECK_MS) {
      // A store that cannot answer gives a mark never seen before: caches then ask it, and get store-unavailable.
      let version: number;
      try {
        version = this.statements.dataVersion.get() as number;
      } catch {
        version = -now;
      }
      this.otherWrites = { version, checked: now };
    }
    return `${this.commits}.${this.otherWrites.version}`;
  }

  async head(kind: Kind, id: string): Promise<RecordHead | undefined> {
    return this.statements.head.get(kind, id) as RecordHead | undefined;
  }

  async getByIri(iri: string, only?: RepresentationName): Promise<StoredRecord | undefined> {
    const row = this.prepared('byIri', only, () => `SELECT ${columns(only)} FROM records r WHERE r.iri = ? AND r.deleted IS NULL`).get(iri) as Row | undefined;
    return row && toRecord(row);
  }

  /**
   * Group commit: writes that arrive while the event loop is busy are committed together in one
   * transaction (one fsync), each in its own savepoint, so one write's failure (a precondition, a
   * taken id) rolls back only that write. Every write resolves only after the transaction commits.
   */
  private queue: Array<{ run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];

  private enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            const indexed = this.indexed.length;
            try {
              outcomes.push({ ok: true, value: this.db.transaction(item.run)() });
            } catch (error) {
              this.indexed.length = indexed; // rolled back
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      this.commits++;
      this.indexed = [];
      for (const item of batch) item.reject(unavailable(error));
      return;
    }
    this.commits++;
    this.keepPostings();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(unavailable(outcome.error));
    });
  }

  async put(record: RecordInput, options: WriteOptions = {}): Promise<StoredRecord> {
    return this.enqueue(() => this.write(record, options));
  }

  async putMany(records: RecordInput[]): Promise<StoredRecord[]> {
    const written = await this.enqueue(() => records.map((r) => this.write(r, {})));
    // A record written twice in one batch is returned as last written.
    const last = new Map(written.map((r) => [r.iri, r]));
    return written.map((r) => last.get(r.iri)!);
  }

  private write(input: RecordInput, given: WriteOptions): StoredRecord {
    // The claims are read in this write's transaction (WriteOptions.decide).
    const decided = given.decide?.verdict(this.claimsNow(given.decide.iris));
    const record = decided ? { ...input, organisation: decided.organisation } : input;
    const options = decided ? { ...given, ifOwner: decided.ifOwner } : given;
    const existing = this.statements.anyByIri.get(record.iri) as
      { n: number; kind: Kind; id: string; created: string; version: string; deleted: string | null; organisation: string | null } | undefined;
    const live = existing && existing.deleted === null ? existing : undefined;
    if (options.ifOwner !== undefined && existing && existing.organisation !== options.ifOwner) {
      throw new KatalogError(
        'forbidden',
        `<${record.iri}> belongs to organisation ${existing.organisation ?? 'unknown'}${existing.deleted === null ? '' : ' (deleted, and its IRI stays theirs)'}.`,
      );
    }
    checkPreconditions(record.iri, live?.version, options);
    const taken = this.statements.idTaken.get(record.kind, record.id, record.iri) as { iri: string } | undefined;
    if (taken) throw new KatalogError('conflict', `The id ${record.id} is already used by <${taken.iri}>.`);
    const { seq, at } = this.nextChange();
    const row = {
      iri: record.iri,
      kind: record.kind,
      id: record.id,
      publisher: record.publisher ?? null,
      organisation: record.organisation ?? null,
      created: live?.created ?? at,
      modified: at,
      version: versionOf(seq, record.nt),
      seq,
      nt: record.nt,
      ttl: record.ttl,
      jsonld: record.jsonld,
    };
    this.statements.change.run({ ...row, op: live ? 'update' : 'create', at });
    let inserted: Database.RunResult | undefined;
    if (existing) this.statements.update.run(row);
    else inserted = this.statements.insert.run(row);
    this.statements.clearMembers.run(record.iri);
    for (const member of record.members ?? []) this.statements.addMember.run(record.iri, member);
    const catalog = (this.statements.catalogOf.get(record.iri) as { catalog: string } | undefined)?.catalog;
    const { publisher, organisation, ...rest } = row;
    const position = existing ? existing.n : Number(inserted!.lastInsertRowid);
    this.parts.replace(position, seq, record.nt, record.parts ?? []);
    this.indexed.push([position, this.searchIndex.index(position, record)]);
    return {
      ...rest,
      position,
      ...(publisher !== null ? { publisher } : {}),
      ...(organisation !== null ? { organisation } : {}),
      ...(catalog ? { catalog } : {}),
      ...(record.kind === 'catalog' ? { members: [...new Set(record.members ?? [])] } : {}),
    } as StoredRecord;
  }

  /**
   * The next change's number and time, inside the write's transaction (writers take SQLite's write
   * lock first, so numbers become visible in commit order): the time is this process's clock, or
   * the latest committed write's time when that is later (one clock for every process).
   */
  private nextChange(): { seq: number; at: string } {
    const now = new Date().toISOString();
    const { seq, latest } = this.statements.nextChange.get() as { seq: number; latest: string | null };
    return { seq, at: latest !== null && latest > now ? latest : now };
  }

  async delete(iri: string, options: WriteOptions = {}): Promise<Tombstone | undefined> {
    return this.enqueue(() => {
      const existing = this.statements.anyByIri.get(iri) as
        { n: number; kind: Kind; id: string; version: string; deleted: string | null; organisation: string | null } | undefined;
      if (!existing || existing.deleted !== null) {
        checkPreconditions(iri, undefined, options);
        return undefined;
      }
      checkPreconditions(iri, existing.version, options);
      const { seq, at } = this.nextChange();
      const version = versionOf(seq, '');
      this.statements.change.run({
        seq,
        iri,
        op: 'delete',
        at,
        kind: existing.kind,
        id: existing.id,
        version,
        publisher: null,
        organisation: existing.organisation,
        nt: '',
        ttl: '',
        jsonld: '',
      });
      this.statements.tombstone.run(at, seq, version, at, iri);
      this.statements.clearMembers.run(iri);
      this.parts.remove(existing.n);
      this.searchIndex.remove(existing.n);
      this.indexed.push([existing.n, []]);
      return { iri, kind: existing.kind, id: existing.id, seq, deleted: at };
    });
  }

  /** The two claim queries for `n` IRIs, prepared once per n (a write asks about a few IRIs). */
  private claimStatements(n: number): { records: Database.Statement; listed: Database.Statement } {
    const marks = Array.from({ length: n }, () => '?').join(', ');
    return {
      records: this.prepared(`claims ${n}`, undefined, () => `SELECT iri, kind, id, organisation, deleted FROM records WHERE iri IN (${marks})`),
      listed: this.prepared(
        `listed ${n}`,
        undefined,
        () => `SELECT m.member, m.catalog, c.organisation FROM members m JOIN records c ON c.iri = m.catalog WHERE m.member IN (${marks})`,
      ),
    };
  }

  /** The claims on these IRIs, read in the transaction that asks (WriteOptions.decide). */
  private claimsNow(iris: string[]): Map<string, IriClaim> {
    const unique = [...new Set(iris)];
    const records: ClaimRow[] = [];
    const listed: ListedRow[] = [];
    // In slices, to stay within SQLite's limit on bound parameters.
    for (let i = 0; i < unique.length; i += 500) {
      const slice = unique.slice(i, i + 500);
      const { records: recordsOf, listed: listedOf } = this.claimStatements(slice.length);
      records.push(...(recordsOf.all(...slice) as ClaimRow[]));
      listed.push(...(listedOf.all(...slice) as ListedRow[]));
    }
    return claimsOf(records, listed);
  }

  async *scan(query: RecordQuery = {}, batchSize = 500): AsyncIterable<StoredRecord> {
    const { afterPosition, limit, only, sharedParts, ...rest } = query;
    const { sql, params } = where(rest);
    let after = afterPosition ?? 0;
    let left = limit ?? Infinity;
    while (left > 0) {
      const size = Math.min(batchSize, left);
      let rows: Row[];
      try {
        const page = this.prepared(
          `scan ${sql} ${sharedParts ? 'shared' : ''}`,
          only,
          () => `SELECT ${columns(only, sharedParts)} FROM records r WHERE ${sql} AND r.n > ? ORDER BY r.n LIMIT ?`,
        );
        rows = page.all(...params, after, size) as Row[];
      } catch (error) {
        throw unavailable(error);
      }
      for (const row of rows) yield toRecord(row);
      if (rows.length < size) return;
      left -= rows.length;
      after = rows[rows.length - 1]!.n;
    }
  }

  /**
   * A search (docs/search.md, "How a search runs"): its hit set is a bit set over positions, made
   * from the facet postings (filters) and from SQL for what they do not hold (words, catalogue,
   * time); the page is ordered from that set, and the facets are counted over it.
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    checkQuery(query);
    const conditions = sqlConditions(query);
    try {
      const postings = this.facetPostings();
      const { catalog: _, ...filters } = query.filters ?? {};
      let within = this.withinOf(query, conditions, postings);
      const everything = within === undefined && Object.values(filters).every((values) => !values?.length);
      // Only a `modified` order is paged as of a change (SearchSort); records created since are no hits.
      const asOf = query.sort !== 'modified' ? 0 : (query.after?.asOf ?? (this.statements.lastChange.get() as { seq: number } | undefined)?.seq ?? 0);
      if (query.sort === 'modified') {
        const late = this.createdAfter(query, asOf);
        if (late.length > 0) within = subtract(within ?? postings.live(), postings.setOf(late));
      }
      const hits = postings.hitsOf({ within, filters }) ?? postings.live();
      const ordered = this.ordered(query, hits, everything, asOf, postings);
      const page = ordered.slice(0, query.limit);
      const rows = this.prepared(
        'search page',
        query.only,
        () => `SELECT ${columns(query.only)} FROM json_each(?) j CROSS JOIN records r ON r.n = j.value ORDER BY j.key`,
      ).all(JSON.stringify(page.map((hit) => hit.n))) as Row[];
      const next = nextCursor(query, page, ordered.length, asOf);
      const facets = query.facets?.length ? postings.facets({ within, filters, facets: query.facets, hits, limit: 100 }) : {};
      return { total: sizeOf(hits), hits: rows.map(toRecord), facets, ...(next ? { next } : {}) };
    } catch (error) {
      throw unavailable(error);
    }
  }

  /**
   * The hits of the conditions the postings do not hold, as positions: the words (their text rows:
   * only live records have any), and catalogue and time from the records. Undefined: no such condition.
   */
  private withinOf(query: SearchQuery, conditions: ReturnType<typeof sqlConditions>, postings: FacetPostings): PositionSet | undefined {
    let within: PositionSet | undefined;
    if (query.q !== undefined) {
      const match = matchExpression(query.q);
      within = postings.setOf(match === undefined ? [] : (this.statements.matching.all(match) as number[]));
    }
    if (conditions) {
      const found = postings.setOf(
        this.db
          .prepare(`SELECT r.n FROM records r INDEXED BY records_search WHERE ${conditions.sql}`)
          .pluck()
          .all(...conditions.params) as number[],
      );
      within = within ? intersect(within, found) : found;
    }
    return within;
  }

  /** The live records a `modified` paging as of `asOf` leaves out: created (or recreated) since. */
  private createdAfter(query: SearchQuery, asOf: number): number[] {
    const key = sortKey({ ...query, sort: 'modified' }, asOf);
    return this.db
      .prepare(`SELECT r.n FROM records r WHERE r.iri IN (SELECT iri FROM changes WHERE seq > ?) AND r.deleted IS NULL AND (${key.sql}) IS NULL`)
      .pluck()
      .all(asOf, ...key.params) as number[];
  }

  /**
   * The hits after the query's cursor in its order, at most one more than a page (there is a next
   * page when there is one more), each with its sort key. Position and relevance are ordered here
   * from the hit set; modified and title by SQL, over every live record when the search has no
   * condition, else over the hits' positions.
   */
  private ordered(query: SearchQuery, hits: PositionSet, everything: boolean, asOf: number, postings: FacetPostings): OrderedHit[] {
    const after = query.after;
    const size = query.limit + 1;
    const sort = query.sort ?? 'position';
    if (sort === 'position') return byPosition(hits, after, size);
    if (sort === 'relevance') {
      const scores = termScores(hits, query.q ?? '', (term) => this.statements.matching.all(fts5Match(term)) as number[]);
      return byRelevance(hits, (n) => scores[n]!, after, size);
    }
    if (sort === 'quality') return byQuality(postings, hits, after, size);
    const key = sortKey({ ...query, sort }, asOf);
    const cursor = afterCursor(after, key.descending);
    const direction = key.descending ? 'DESC' : 'ASC';
    const domain = everything ? LIVE : 'r.n IN (SELECT value FROM json_each(?))';
    return this.db
      .prepare(
        `SELECT n, k AS key FROM (SELECT r.n AS n, ${key.sql} AS k FROM records r INDEXED BY records_search WHERE ${domain}) h ` +
          `WHERE h.k IS NOT NULL AND ${cursor.sql} ORDER BY h.k ${direction}, h.n ${direction} LIMIT ?`,
      )
      .all(...key.params, ...(everything ? [] : [JSON.stringify(positionsIn(hits))]), ...cursor.params, size) as Array<{ n: number; key: string }>;
  }

  /**
   * The facet postings (docs/search.md, The index), loaded at the first search, kept up to date by
   * this store's own writes (`indexed`, applied when their transaction commits), and loaded again
   * when another connection has committed since (SQLite's data_version moved).
   */
  private postings?: { index: FacetPostings; dataVersion: number };
  /** The value rows of the records the transaction being written indexes ([] for a removed record). */
  private indexed: Array<[number, Array<[IndexField, string]>]> = [];

  private keepPostings(): void {
    if (this.postings) for (const [n, rows] of this.indexed) this.postings.index.replace(n, rows);
    this.indexed = [];
  }

  private facetPostings(): FacetPostings {
    const dataVersion = this.statements.dataVersion.get() as number;
    if (this.postings?.dataVersion !== dataVersion) this.postings = { index: FacetPostings.load(this.db), dataVersion };
    return this.postings.index;
  }

  async reindex(fieldsOf?: FieldsOf): Promise<number> {
    try {
      return reindexAll(
        this.db,
        (work) => {
          this.db.transaction(work).immediate();
          this.commits++;
        },
        fieldsOf,
      );
    } catch (error) {
      throw unavailable(error);
    } finally {
      this.postings = undefined; // loaded again by the next search
    }
  }

  async nodeTriples(node: string, hash: string): Promise<string | undefined> {
    try {
      return this.statements.nodeTriples.get(node, hash) as string | undefined;
    } catch (error) {
      throw unavailable(error);
    }
  }

  async positionAt(query: RecordQuery, index: number): Promise<number | undefined> {
    const { sql, params } = where(query);
    const row = this.db.prepare(`SELECT r.n FROM records r WHERE ${sql} ORDER BY r.n LIMIT 1 OFFSET ?`).get(...params, index) as { n: number } | undefined;
    return row?.n;
  }

  async version(): Promise<{ lastSeq: number; lastModified?: string }> {
    const row = this.statements.lastChange.get() as { seq: number; at: string } | undefined;
    return row ? { lastSeq: row.seq, lastModified: row.at } : { lastSeq: 0 };
  }

  async count(query: RecordQuery = {}): Promise<number> {
    const { sql, params } = where(query);
    return (this.db.prepare(`SELECT COUNT(*) AS c FROM records r WHERE ${sql}`).get(...params) as { c: number }).c;
  }

  async changes(afterSeq: number, limit: number, filter: ChangeQuery = {}): Promise<Change[]> {
    const params: unknown[] = [afterSeq];
    const conditions = changeConditions(filter, (value) => (params.push(value), '?'));
    const rows = this.prepared(
      `changes ${filter.only ?? 'all'} ${conditions}`,
      undefined,
      () => `${changesFrom(filter.only)}?${conditions} ORDER BY seq LIMIT ?`,
    ).all(...params, limit) as Array<Change & { publisher: string | null; organisation: string | null }>;
    return rows.map(({ publisher, organisation, ...rest }) => ({
      ...rest,
      ...(publisher !== null ? { publisher } : {}),
      ...(organisation !== null ? { organisation } : {}),
    }));
  }

  async compactChanges({ superseded, before }: { superseded?: boolean; before?: string }): Promise<number> {
    return this.enqueue(() => {
      let removed = 0;
      const latest = 'seq < (SELECT MAX(seq) FROM changes)';
      if (superseded) {
        removed += this.db
          .prepare(`DELETE FROM changes WHERE op <> 'delete' AND ${latest} AND seq NOT IN (SELECT MAX(seq) FROM changes GROUP BY iri)`)
          .run().changes;
      }
      if (before !== undefined) removed += this.db.prepare(`DELETE FROM changes WHERE at < ? AND ${latest}`).run(before).changes;
      return removed;
    });
  }

  async tombstones(afterSeq = 0): Promise<Tombstone[]> {
    return this.statements.tombstones.all(afterSeq) as Tombstone[];
  }

  async state(): Promise<StoreState> {
    const s = this.statements.state.get() as { lastSeq: number; lastModified: string | null; count: number };
    return { lastSeq: s.lastSeq, lastModified: s.lastModified ?? undefined, count: s.count };
  }

  async addApiKey(key: ApiKeyRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO api_keys (id, hash, organisation, admin, label, created, revoked) VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(key.id, key.hash, key.organisation, key.admin ? 1 : 0, key.label ?? null, key.created);
  }

  async findApiKey(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE hash = ? AND revoked IS NULL').get(hash) as KeyRow | undefined;
    return row && toKey(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY rowid').all() as KeyRow[]).map(toKey);
  }

  async revokeApiKey(id: string): Promise<boolean> {
    return this.db.prepare('UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL').run(new Date().toISOString(), id).changes > 0;
  }

  /** Work under a name, by file and name: the stores of one process on one file take turns. */
  private static locks = new Map<string, Promise<unknown>>();

  async whileLocked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.db.name} ${name}`;
    const mine = (SqliteStore.locks.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    SqliteStore.locks.set(key, mine);
    try {
      return await mine;
    } finally {
      if (SqliteStore.locks.get(key) === mine) SqliteStore.locks.delete(key);
    }
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    if (this.db.open) this.db.close();
  }
}

/**
 * The driver's own failures (SQLITE_BUSY, I/O errors, a full disk, a closed connection) as
 * `store-unavailable`, which the edge answers with 503 and Retry-After; Katalog's errors and
 * anything else pass unchanged.
 */
export function unavailable(error: unknown): unknown {
  if (error instanceof KatalogError) return error;
  const closed = error instanceof TypeError && /database connection is not open/i.test(error.message);
  if (!(error instanceof Database.SqliteError) && !closed) return error;
  const code = closed ? 'closed' : (error as InstanceType<typeof Database.SqliteError>).code;
  return new KatalogError('store-unavailable', `The store cannot answer just now (${code}). Try again shortly.`, { retryAfter: 1 });
}

/** The reads and key methods, each answering a driver failure with store-unavailable (writes do so in flush). */
for (const name of [
  'get',
  'getByIri',
  'head',
  'positionAt',
  'version',
  'count',
  'changes',
  'tombstones',
  'state',
  'addApiKey',
  'findApiKey',
  'listApiKeys',
  'revokeApiKey',
] as const) {
  const method = SqliteStore.prototype[name] as (...args: unknown[]) => Promise<unknown>;
  Object.defineProperty(SqliteStore.prototype, name, {
    value: async function (this: SqliteStore, ...args: unknown[]) {
      try {
        return await method.apply(this, args);
      } catch (error) {
        throw unavailable(error);
      }
    },
  });
}
