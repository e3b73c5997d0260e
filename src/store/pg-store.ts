import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { KatalogError } from '../core/errors.js';
import type { Kind } from '../core/kinds.js';
import type { RepresentationName } from '../core/serialize/representations.js';
import { FacetPostings, intersect, type PositionSet, positionsIn, sizeOf, subtract } from './facet-postings.js';
import { migratePg, prepared } from './pg-schema.js';
import { indexRecords, indexRows, termQuery, unindexRecords, wordsQuery } from './pg-search.js';
import { byPosition, byQuality, byRelevance, checkQuery, fieldsFromTriples, nextCursor, type OrderedHit, relevanceTerms } from './search-plan.js';
import {
  changesFrom,
  changeConditions,
  checkPreconditions,
  type ClaimRow,
  claimsOf,
  type Dialect,
  type KeyRow,
  recordColumns,
  recordWhere,
  type Row,
  toKey,
  toRecord,
  versionOf,
} from './records.js';
import type {
  ApiKeyRecord,
  Change,
  ChangeQuery,
  FieldsOf,
  IriClaim,
  RecordHead,
  RecordInput,
  RecordQuery,
  SearchQuery,
  SearchResult,
  Store,
  StoredRecord,
  StoreState,
  StoreVersion,
  Tombstone,
  WriteOptions,
} from './store.js';

/**
 * The PostgreSQL store (docs/storage.md, "PostgreSQL"): the same contract as the SQLite store, for
 * several Katalog processes on one database. Writes are group-committed on one connection; reads use
 * a pool. Every write transaction first locks the one row of `katalog_state`, which holds the latest
 * change number: writers commit one after another, so change numbers become visible in commit
 * order whichever process wrote them. Each commit notifies the other processes (LISTEN/NOTIFY), whose
 * change marks move when the notification arrives.
 */

/** bigint columns as numbers: positions and change numbers stay far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** PostgreSQL's way with parameters and JSON arrays (records.ts Dialect). */
const POSTGRES: Dialect = {
  mark: (n) => `$${n}`,
  arrayOf: (value) => `json_agg(${value})::text`,
  tuple: (values) => `json_build_array(${values.join(', ')})`,
};

const columns = (only?: RepresentationName, sharedParts?: boolean) => recordColumns(POSTGRES, only, sharedParts);

/** A query's conditions as SQL over `records r` with numbered parameters from `params`. */
const where = (query: RecordQuery, params: unknown[]) => recordWhere(POSTGRES, query, params);

/** The IRIs whose claims the verdicts of these writes ask about (WriteOptions.decide). */
const claimIrisOf = (options: WriteOptions[]) => options.flatMap((o) => o.decide?.iris ?? []);

/** The claims the checks' question found (its 'claim' and 'listed' rows). */
function claimsIn(rows: CheckRow[]): Map<string, IriClaim> {
  return claimsOf(
    rows.filter((row): row is CheckRow & ClaimRow => row.what === 'claim'),
    rows.filter((row) => row.what === 'listed').map((row) => ({ member: row.iri, catalog: row.other!, organisation: row.organisation })),
  );
}

/** The notification of a revoked API key (the payload's first word; commits start with a store's id). */
const KEYS_CHANGED = 'keys';
/** Known API keys a process remembers before it starts over (findApiKey). */
const MAX_REMEMBERED_KEYS = 10_000;

/** The SQLSTATE classes and driver messages that mean the database cannot answer now. */
const UNAVAILABLE_CODES = /^(08|53|57|58|XX)/;
const UNAVAILABLE_MESSAGES = /terminat|timeout|ECONNREFUSED|ENOENT|ECONNRESET|EPIPE|closed|Connection|connect|calling end/i;

/**
 * The database's own failures (down, restarting, out of connections or disk, a lost connection) as
 * `store-unavailable` (503 with Retry-After at the edge); Katalog's errors pass unchanged.
 */
export function pgUnavailable(error: unknown): unknown {
  if (error instanceof KatalogError) return error;
  const code = (error as { code?: unknown }).code;
  // What PostgreSQL cannot keep, though the description is well formed: a value too long for an
  // index entry (about 2,700 bytes: an IRI that long), or one text cannot hold (a NUL character).
  if (code === '54000') {
    return new KatalogError(
      'payload-too-large',
      'A value of this description (an IRI, most likely) is too long for the database to index: at most about 2,700 bytes.',
    );
  }
  if (typeof code === 'string' && code.startsWith('22')) {
    return new KatalogError('invalid-request', `The database cannot store a value of this description: ${(error as Error).message}.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if ((typeof code === 'string' && UNAVAILABLE_CODES.test(code)) || UNAVAILABLE_MESSAGES.test(message)) {
    return new KatalogError('store-unavailable', `The store cannot answer just now (${typeof code === 'string' ? code : message}). Try again shortly.`, {
      retryAfter: 1,
    });
  }
  return error;
}

/** What a write replaces: the live record's creation time and version. */
interface Live {
  created: string;
  version: string;
}

/** A record that passed its checks: its position (stored or new) and what it replaces. */
interface Passed {
  record: RecordInput;
  n: number;
  live?: Live;
}

/** A record's checks' verdict (PgStore.check). */
type Checked = Passed | { error: KatalogError };

/**
 * A row of the checks' question: a stored row of a record's IRI, its id held by another IRI
 * (`other`), a new position, or a claim on an IRI a write touches (a record holding it, or a live
 * catalogue, `other`, listing it).
 */
interface CheckRow {
  what: 'stored' | 'taken' | 'new' | 'claim' | 'listed';
  iri: string;
  n: number | null;
  created: string | null;
  version: string | null;
  deleted: string | null;
  organisation: string | null;
  kind: Kind | null;
  id: string | null;
  other: string | null;
}

/** The state of a write transaction: the latest change number and time as the batch has them. */
interface Batch {
  client: pg.PoolClient;
  seq: number;
  at: string | null;
  /** Whether the open savepoint holds a write's work (see inSavepoint). */
  used: boolean;
}

export interface PgStoreOptions {
  /** Connections for reads (default 10). */
  poolSize?: number;
}

export class PgStore implements Store {
  private readonly pool: pg.Pool;
  /** The channel this store's commits are announced on: one per schema. */
  private channel = '';
  private listener?: pg.Client;
  private listening = false;
  private closed = false;
  /** Commits through this store, and notifications of commits anywhere (see changeMark). */
  private commits = 0;
  private notified = 0;
  /** Names this store's own notifications. */
  private readonly id = randomUUID();
  /** Known API keys by hash (see findApiKey), and the number of times they were all forgotten. */
  private readonly keys = new Map<string, ApiKeyRecord>();
  private keyGeneration = 0;

  private constructor(url: string, options: PgStoreOptions) {
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000, types: TYPES });
    // The write transactions' connection: one, as they run one after another (flush), and
    // pipelined, so a statement can be sent before the answer to the one before it has come.
    this.writer = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000, types: TYPES, pipeline: true });
    for (const pool of [this.pool, this.writer]) {
      // A connection the server drops while idle is replaced at the next query.
      pool.on('error', () => undefined);
      // Katalog's statements are short and planned once (prepared); compiling them to machine code
      // when the planner's estimate is high (JIT) costs more than running them: 134 ms instead of
      // 13 ms for a page of a whole-catalogue scan.
      pool.on('connect', (client) => void client.query('SET jit = off').catch(() => undefined));
    }
    this.url = url;
  }

  private readonly writer: pg.Pool;

  private readonly url: string;

  /** Opens the store at `url`, applying the migrations the database lacks (under a lock). */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const store = new PgStore(url, options);
    try {
      await migratePg(store.pool);
      const { rows } = await store.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
      store.channel = `katalog_${rows[0]!.schema}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63);
      await store.listen();
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      await store.writer.end().catch(() => undefined);
      throw pgUnavailable(error);
    }
    return store;
  }

  /**
   * Listens for other processes' commits on a connection of its own. When it is lost (the database
   * restarts), the mark moves at every call until it is back, so caches ask the store meanwhile, and
   * it reconnects by itself.
   */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types: TYPES });
    // Its own commits moved the mark already, when they committed.
    client.on('notification', (message) => {
      if (message.payload?.startsWith(`${KEYS_CHANGED} `)) this.forgetKeys();
      else if (!message.payload?.startsWith(`${this.id} `)) this.notified++;
    });
    const lost = () => {
      if (this.listener !== client) return;
      this.listening = false;
      this.listener = undefined;
      this.forgetKeys();
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen().catch(() => undefined), 250).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.listening = true;
      this.notified++; // whatever happened while not listening
    } catch (error) {
      lost();
      throw error;
    }
  }

  /**
   * Moves at once with this store's own commits, and with another process's as soon as its
   * notification arrives (within milliseconds: docs/storage.md). While the listening connection is
   * down, it is new at every call.
   */
  changeMark(): string {
    return this.listening ? `${this.commits}.${this.notified}` : `down.${performance.now()}`;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw pgUnavailable(error);
    }
  }

  /** A read of a constant text, prepared once per connection (pg-schema.ts, prepared). */
  private async named<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await prepared<R>(this.pool, sql, params)).rows;
    } catch (error) {
      throw pgUnavailable(error);
    }
  }

  async get(kind: Kind, id: string, only?: RepresentationName): Promise<StoredRecord | undefined> {
    const [row] = await this.named<Row>(`SELECT ${columns(only)} FROM records r WHERE r.kind = $1 AND r.id = $2 AND r.deleted IS NULL`, [kind, id]);
    return row && toRecord(row);
  }

  async getByIri(iri: string, only?: RepresentationName): Promise<StoredRecord | undefined> {
    const [row] = await this.named<Row>(`SELECT ${columns(only)} FROM records r WHERE r.iri = $1 AND r.deleted IS NULL`, [iri]);
    return row && toRecord(row);
  }

  async head(kind: Kind, id: string): Promise<RecordHead | undefined> {
    const [row] = await this.named<RecordHead>('SELECT iri, version, modified FROM records WHERE kind = $1 AND id = $2 AND deleted IS NULL', [kind, id]);
    return row;
  }

  /**
   * Group commit: writes that arrive while a transaction is being written wait for it, then go
   * together in the next one, each in its own savepoint, so one write's failure rolls back only that
   * write. Every write resolves only after its transaction commits.
   */
  private queue: Array<{
    run: (batch: Batch) => Promise<unknown>;
    /** A single-record put: written together with the puts next to it (see flush). */
    put?: { record: RecordInput; options: WriteOptions };
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }> = [];
  private flushing?: Promise<void>;

  private enqueue<T>(run: (batch: Batch) => Promise<T>, put?: { record: RecordInput; options: WriteOptions }): Promise<T> {
    if (this.closed) return Promise.reject(new KatalogError('store-unavailable', 'The store is closed.', { retryAfter: 1 }));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, put, resolve: resolve as (value: unknown) => void, reject });
      this.flushing ??= this.flushAll();
    });
  }

  private async flushAll(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // let the writes of this turn join
    while (this.queue.length > 0) await this.flush(this.queue.splice(0));
    this.flushing = undefined;
  }

  private async flush(items: PgStore['queue']): Promise<void> {
    let client: pg.PoolClient | undefined;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      client = await this.writer.connect();
      // Round trips are what a batch waits for: the transaction begins, locks the state row (the
      // order of commits) and opens the first write's savepoint in one; the first puts' checks
      // are sent behind it without waiting (the connection pipelines), and run once it has the lock.
      const begun = client.query('BEGIN; SELECT last_seq, last_at FROM katalog_state WHERE id = 1 FOR UPDATE; SAVEPOINT write');
      const first = this.putsFrom(items, 0);
      const asked =
        first.length > 1
          ? this.askChecks(
              client,
              first.map((item) => item.put!.record),
              claimIrisOf(first.map((item) => item.put!.options)),
            )
          : undefined;
      asked?.catch(() => undefined); // its failure is met where it is awaited (writeTogether), or the batch's
      const [, locked] = (await begun) as unknown as [pg.QueryResult, pg.QueryResult<{ last_seq: number; last_at: string | null }>];
      const batch: Batch = { client, seq: locked.rows[0]!.last_seq, at: locked.rows[0]!.last_at, used: false };
      const start = { seq: batch.seq };
      for (let i = 0; i < items.length;) {
        const group = i === 0 ? first : this.putsFrom(items, i);
        if (group.length > 1 && (await this.writeTogether(batch, group, outcomes, i, i === 0 ? asked : undefined))) {
          i += group.length;
          continue;
        }
        outcomes[i] = await this.inSavepoint(batch, () => items[i]!.run(batch));
        i++;
      }
      // The state row, the notification and the commit in one (the values are a number and
      // escaped literals); COMMIT releases the open savepoint.
      const literal = (text: string) => client!.escapeLiteral(text);
      await client.query(
        batch.seq === start.seq
          ? 'COMMIT'
          : `UPDATE katalog_state SET last_seq = ${batch.seq}, last_at = ${literal(batch.at!)} WHERE id = 1;
             SELECT pg_notify(${literal(this.channel)}, ${literal(`${this.id} ${batch.seq}`)}); COMMIT`,
      );
    } catch (error) {
      if (client) await client.query('ROLLBACK').catch(() => undefined);
      client?.release(true);
      this.commits++;
      for (const item of items) item.reject(pgUnavailable(error));
      return;
    }
    client.release();
    this.commits++;
    items.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(pgUnavailable(outcome.error));
    });
  }

  /** Runs `work` in a savepoint: when it fails, only its own statements and change numbers are undone. */
  private async inSavepoint(batch: Batch, work: () => Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    // A savepoint is always open; one holding an earlier write's work is released and opened
    // again, in one round trip.
    if (batch.used) await batch.client.query('RELEASE SAVEPOINT write; SAVEPOINT write');
    batch.used = true;
    const before = { seq: batch.seq, at: batch.at };
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      await batch.client.query('ROLLBACK TO SAVEPOINT write'); // which stays open, empty
      batch.used = false;
      Object.assign(batch, before); // its change numbers were never used
      return { ok: false, error };
    }
  }

  /**
   * The single-record puts from `items[start]` on that can be checked together and written as one
   * list: none names an IRI or id an earlier one names, or asks its verdict about a record an
   * earlier one writes; and a catalogue is the last (its listings are claims too).
   */
  private putsFrom(items: PgStore['queue'], start: number): PgStore['queue'] {
    const group: PgStore['queue'] = [];
    // The IRIs the group writes, and its kind-and-id pairs (with a space, which no IRI holds).
    const names = new Set<string>();
    for (const item of items.slice(start)) {
      if (!item.put) break;
      const { record, options } = item.put;
      const keys = [record.iri, `${record.kind} ${record.id}`];
      if (keys.some((k) => names.has(k)) || options.decide?.iris.some((iri) => names.has(iri))) break;
      for (const k of keys) names.add(k);
      group.push(item);
      if (record.kind === 'catalog') break;
    }
    return group;
  }

  /**
   * Writes puts that arrived together as one list (a statement per table for all of them, not per
   * put), each checked on its own first: a put refused by its checks is refused alone. False when
   * the list could not be written (the puts are then written one by one).
   */
  private async writeTogether(batch: Batch, group: PgStore['queue'], outcomes: unknown[], at: number, asked?: Promise<CheckRow[]>): Promise<boolean> {
    const puts = group.map((item) => item.put!);
    const records = puts.map((p) => p.record);
    const options = puts.map((p) => p.options);
    let checked: Checked[] = [];
    const done = await this.inSavepoint(batch, async () => {
      // The checks' question, unless it was asked already (flush).
      checked = this.judge(records, options, await (asked ?? this.askChecks(batch.client, records, claimIrisOf(options))));
      return this.writeChecked(
        batch,
        checked.flatMap((c) => ('error' in c ? [] : [c])),
      );
    });
    if (!done.ok) return false;
    const written = (done.value as StoredRecord[])[Symbol.iterator]();
    checked.forEach((c, i) => (outcomes[at + i] = 'error' in c ? { ok: false, error: c.error } : { ok: true, value: [written.next().value] }));
    return true;
  }

  /** The next change's number and time: this process's clock, or the latest write's when later (one clock). */
  private nextChange(batch: Batch): { seq: number; at: string } {
    const now = new Date().toISOString();
    batch.seq++;
    batch.at = batch.at !== null && batch.at > now ? batch.at : now;
    return { seq: batch.seq, at: batch.at };
  }

  async put(record: RecordInput, options: WriteOptions = {}): Promise<StoredRecord> {
    return (await this.enqueue((batch) => this.writeMany(batch, [record], options), { record, options }))[0]!;
  }

  async putMany(records: RecordInput[]): Promise<StoredRecord[]> {
    const written = await this.enqueue((batch) => this.writeMany(batch, records, {}));
    const last = new Map(written.map((r) => [r.iri, r]));
    return written.map((r) => last.get(r.iri)!);
  }

  /**
   * Writes records in as few statements as there are tables (docs/storage.md, "PostgreSQL"): one
   * round trip per table for the whole list, not per record, which is what makes `katalog load`
   * fast. Records that name an IRI or an id an earlier record of the list names are written in a
   * later round, so each round sees the ones before it. `options` apply to every record.
   */
  private async writeMany(batch: Batch, records: RecordInput[], options: WriteOptions): Promise<StoredRecord[]> {
    const written: StoredRecord[] = [];
    let round: RecordInput[] = [];
    const names = new Set<string>();
    for (const record of records) {
      const keys = [record.iri, `${record.kind} ${record.id}`];
      if (keys.some((k) => names.has(k))) {
        written.push(...(await this.writeRound(batch, round, options)));
        round = [];
        names.clear();
      }
      round.push(record);
      for (const k of keys) names.add(k);
    }
    written.push(...(await this.writeRound(batch, round, options)));
    return written;
  }

  private async writeRound(batch: Batch, records: RecordInput[], options: WriteOptions): Promise<StoredRecord[]> {
    if (records.length === 0) return [];
    const checked = await this.check(
      batch,
      records,
      records.map(() => options),
    );
    for (const c of checked) if ('error' in c) throw c.error;
    return this.writeChecked(batch, checked as Passed[]);
  }

  /**
   * Each record's checks against what is stored (its owner, its preconditions, its id taken by
   * another IRI): the record with its position and what it replaces, or why it is refused. A record
   * never stored gets its position here, so that the write is one statement (writeChecked).
   */
  private async check(batch: Batch, records: RecordInput[], options: WriteOptions[]): Promise<Checked[]> {
    return this.judge(records, options, await this.askChecks(batch.client, records, claimIrisOf(options)));
  }

  /**
   * The checks' one question (see check): the stored rows of these IRIs, ids taken under another
   * IRI, new positions, and the claims on `claimIris`.
   */
  private async askChecks(client: pg.ClientBase, records: RecordInput[], claimIris: string[]): Promise<CheckRow[]> {
    const { rows } = await prepared<CheckRow>(
      client,
      `SELECT 'stored' AS what, iri, n, created, version, deleted, organisation, NULL AS kind, NULL AS id, NULL AS other FROM records WHERE iri = ANY($3::text[])
       UNION ALL SELECT 'taken', b.iri, NULL, NULL, NULL, NULL, NULL, NULL, NULL, t.iri FROM unnest($1::text[], $2::text[], $3::text[]) AS b (kind, id, iri)
         JOIN records t ON t.kind = b.kind AND t.id = b.id AND t.iri <> b.iri
       UNION ALL SELECT 'new', b.iri, nextval('records_n_seq'), NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM unnest($3::text[]) AS b (iri)
         WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.iri = b.iri)
       UNION ALL SELECT 'claim', iri, NULL, NULL, NULL, deleted, organisation, kind, id, NULL FROM records WHERE iri = ANY($4::text[])
       UNION ALL SELECT 'listed', m.member, NULL, NULL, NULL, NULL, c.organisation, NULL, NULL, m.catalog
         FROM members m JOIN records c ON c.iri = m.catalog WHERE m.member = ANY($4::text[])
       ORDER BY other NULLS FIRST, iri`,
      [records.map((r) => r.kind), records.map((r) => r.id), records.map((r) => r.iri), [...new Set(claimIris)]],
    );
    return rows;
  }

  /** The verdicts on records from the checks' rows (see check). */
  private judge(records: RecordInput[], options: WriteOptions[], rows: CheckRow[]): Checked[] {
    const stored = new Map<string, CheckRow>();
    const fresh = new Map<string, number>();
    const takenBy = new Map<string, string>();
    for (const row of rows) {
      if (row.what === 'stored') stored.set(row.iri, row);
      else if (row.what === 'new') fresh.set(row.iri, row.n!);
      else if (row.what === 'taken') takenBy.set(row.iri, row.other!);
    }
    const claims = claimsIn(rows);
    return records.map((given, i) => {
      try {
        // A verdict sees the claims as they were before the batch: putsFrom keeps a write whose
        // claims an earlier one of the batch changes out of its group.
        const decided = options[i]!.decide?.verdict(claims);
        const record = decided ? { ...given, organisation: decided.organisation } : given;
        const own = decided ? { ...options[i]!, ifOwner: decided.ifOwner } : options[i]!;
        const before = stored.get(record.iri);
        const live = before && before.deleted === null ? { created: before.created!, version: before.version! } : undefined;
        if (own.ifOwner !== undefined && before && before.organisation !== own.ifOwner) {
          throw new KatalogError(
            'forbidden',
            `<${record.iri}> belongs to organisation ${before.organisation ?? 'unknown'}${before.deleted === null ? '' : ' (deleted, and its IRI stays theirs)'}.`,
          );
        }
        checkPreconditions(record.iri, live?.version, own);
        const holder = takenBy.get(record.iri);
        if (holder) throw new KatalogError('conflict', `The id ${record.id} is already used by <${holder}>.`);
        return { record, n: before?.n ?? fresh.get(record.iri)!, ...(live ? { live } : {}) };
      } catch (error) {
        return { error: error as KatalogError };
      }
    });
  }

  /**
   * Writes records that passed their checks in one statement (one round trip): each table's rows
   * for all of them, not per record. A statement does not see its own changes, so each table's rows
   * that go and rows that come are disjoint: the ones no longer said are deleted, the ones said are
   * inserted or updated in place; and the catalogue listing each record is read from the members
   * that stay and those listed now. Positions come from the checks (a new record's is drawn there).
   */
  private async writeChecked(batch: Batch, rows: Passed[]): Promise<StoredRecord[]> {
    if (rows.length === 0) return [];
    const { client } = batch;
    const iris = rows.map((r) => r.record.iri);
    const changes = rows.map(({ record, live, n }) => {
      const { seq, at } = this.nextChange(batch);
      return { record, n, seq, at, op: live ? 'update' : 'create', created: live?.created ?? at, version: versionOf(seq, record.nt) };
    });
    const column = <T>(pick: (c: (typeof changes)[number]) => T) => changes.map(pick);
    const catalogs = changes.filter((c) => c.record.kind === 'catalog');
    const listing = catalogs.flatMap((c) => [...new Set(c.record.members ?? [])].map((member) => [c.record.iri, member] as const));
    const parts = changes.flatMap((c) => (c.record.parts ?? []).map((part) => ({ n: c.n, seq: c.seq, nt: c.record.nt, part })));
    const partColumn = <T>(pick: (p: (typeof parts)[number]) => T) => parts.map(pick);
    const index = indexRows(changes.map((c) => ({ n: c.n, record: c.record })));
    const { rows: listed } = await prepared<{ member: string; catalog: string }>(
      client,
      `WITH change AS (INSERT INTO changes (seq, iri, op, at, kind, id, version, publisher, organisation, nt, ttl, jsonld)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])),
         record AS (INSERT INTO records AS r (n, iri, kind, id, publisher, organisation, created, modified, version, seq, deleted, nt, ttl, jsonld)
           SELECT n, iri, kind, id, publisher, organisation, created, at, version, seq, NULL, nt, ttl, jsonld
           FROM unnest($14::bigint[], $2::text[], $5::text[], $6::text[], $8::text[], $9::text[], $13::text[], $4::text[], $7::text[], $1::bigint[], $10::text[], $11::text[], $12::text[])
             AS b (n, iri, kind, id, publisher, organisation, created, at, version, seq, nt, ttl, jsonld)
           ON CONFLICT (iri) DO UPDATE SET kind = EXCLUDED.kind, id = EXCLUDED.id, publisher = EXCLUDED.publisher, organisation = EXCLUDED.organisation,
             created = EXCLUDED.created, modified = EXCLUDED.modified, version = EXCLUDED.version, seq = EXCLUDED.seq, deleted = NULL,
             nt = EXCLUDED.nt, ttl = EXCLUDED.ttl, jsonld = EXCLUDED.jsonld),
         members_gone AS (DELETE FROM members m WHERE m.catalog = ANY($15::text[])
           AND NOT EXISTS (SELECT 1 FROM unnest($16::text[], $17::text[]) AS l (c, m) WHERE l.c = m.catalog AND l.m = m.member)),
         members_new AS (INSERT INTO members (catalog, member) SELECT * FROM unnest($16::text[], $17::text[]) ON CONFLICT DO NOTHING),
         parts_gone AS (DELETE FROM node_parts p WHERE p.n = ANY($14::bigint[])
           AND NOT EXISTS (SELECT 1 FROM unnest($18::bigint[], $19::text[]) AS k (n, node) WHERE k.n = p.n AND k.node = p.node)),
         parts_new AS (INSERT INTO node_parts (n, node, hash, nt_from, nt_to, ttl_from, ttl_to, jsonld_from, jsonld_to, nt, seq)
           SELECT * FROM unnest($18::bigint[], $19::text[], $20::text[], $21::int[], $22::int[], $23::int[], $24::int[], $25::int[], $26::int[], $27::text[], $28::bigint[])
           ON CONFLICT (n, node) DO UPDATE SET hash = EXCLUDED.hash, nt_from = EXCLUDED.nt_from, nt_to = EXCLUDED.nt_to, ttl_from = EXCLUDED.ttl_from,
             ttl_to = EXCLUDED.ttl_to, jsonld_from = EXCLUDED.jsonld_from, jsonld_to = EXCLUDED.jsonld_to, nt = EXCLUDED.nt, seq = EXCLUDED.seq),
         text_gone AS (DELETE FROM search_text t WHERE t.n = ANY($14::bigint[]) AND t.n <> ALL($29::bigint[])),
         text_new AS (INSERT INTO search_text (n, doc) SELECT * FROM unnest($29::bigint[], $30::tsvector[]) ON CONFLICT (n) DO UPDATE SET doc = EXCLUDED.doc),
         titles_gone AS (DELETE FROM search_titles t WHERE t.n = ANY($14::bigint[]) AND t.n <> ALL($31::bigint[])),
         titles_new AS (INSERT INTO search_titles (n, nb, nn, en) SELECT * FROM unnest($31::bigint[], $32::text[], $33::text[], $34::text[])
           ON CONFLICT (n) DO UPDATE SET nb = EXCLUDED.nb, nn = EXCLUDED.nn, en = EXCLUDED.en),
         values_gone AS (DELETE FROM search_values v WHERE v.n = ANY($14::bigint[])
           AND NOT EXISTS (SELECT 1 FROM unnest($35::text[], $36::text[], $37::bigint[]) AS k (f, x, n) WHERE k.f = v.field AND k.x = v.value AND k.n = v.n)),
         values_new AS (INSERT INTO search_values (field, value, n) SELECT * FROM unnest($35::text[], $36::text[], $37::bigint[]) ON CONFLICT DO NOTHING)
       SELECT member, MIN(catalog) AS catalog FROM (
         SELECT m.member, m.catalog FROM members m WHERE m.member = ANY($2::text[]) AND m.catalog <> ALL($15::text[])
         UNION ALL SELECT l.m, l.c FROM unnest($16::text[], $17::text[]) AS l (c, m) WHERE l.m = ANY($2::text[])) listing
       GROUP BY member`,
      [
        column((c) => c.seq),
        iris,
        column((c) => c.op),
        column((c) => c.at),
        column((c) => c.record.kind),
        column((c) => c.record.id),
        column((c) => c.version),
        column((c) => c.record.publisher ?? null),
        column((c) => c.record.organisation ?? null),
        column((c) => c.record.nt),
        column((c) => c.record.ttl),
        column((c) => c.record.jsonld),
        column((c) => c.created),
        column((c) => c.n),
        catalogs.map((c) => c.record.iri),
        listing.map(([c]) => c),
        listing.map(([, m]) => m),
        partColumn((p) => p.n),
        partColumn((p) => p.part.node),
        partColumn((p) => p.part.hash),
        partColumn((p) => p.part.spans.nt[0]),
        partColumn((p) => p.part.spans.nt[1]),
        partColumn((p) => p.part.spans.ttl[0]),
        partColumn((p) => p.part.spans.ttl[1]),
        partColumn((p) => p.part.spans.jsonld[0]),
        partColumn((p) => p.part.spans.jsonld[1]),
        partColumn((p) => p.nt.slice(...p.part.spans.nt)),
        partColumn((p) => p.seq),
        ...index,
      ],
    );
    const catalogOf = new Map(listed.map((l) => [l.member, l.catalog]));
    return changes.map(({ record, n, seq, at, created, version }) => {
      const catalog = catalogOf.get(record.iri);
      return {
        iri: record.iri,
        kind: record.kind,
        id: record.id,
        created,
        modified: at,
        version,
        seq,
        nt: record.nt,
        ttl: record.ttl,
        jsonld: record.jsonld,
        position: n,
        ...(record.publisher !== undefined ? { publisher: record.publisher } : {}),
        ...(record.organisation !== undefined ? { organisation: record.organisation } : {}),
        ...(catalog ? { catalog } : {}),
        ...(record.kind === 'catalog' ? { members: [...new Set(record.members ?? [])] } : {}),
      } as StoredRecord;
    });
  }

  async delete(iri: string, options: WriteOptions = {}): Promise<Tombstone | undefined> {
    return this.enqueue(async (batch) => {
      const { rows } = await prepared<{ n: number; kind: Kind; id: string; version: string; deleted: string | null; organisation: string | null }>(
        batch.client,
        'SELECT n, kind, id, version, deleted, organisation FROM records WHERE iri = $1',
        [iri],
      );
      const existing = rows[0];
      if (!existing || existing.deleted !== null) {
        checkPreconditions(iri, undefined, options);
        return undefined;
      }
      checkPreconditions(iri, existing.version, options);
      const { seq, at } = this.nextChange(batch);
      const version = versionOf(seq, '');
      await prepared(
        batch.client,
        `WITH change AS (INSERT INTO changes (seq, iri, op, at, kind, id, version, publisher, organisation, nt, ttl, jsonld)
           VALUES ($1, $2, 'delete', $3, $4, $5, $6, NULL, $7, '', '', '')),
         gone AS (DELETE FROM members WHERE catalog = $2),
         parts AS (DELETE FROM node_parts WHERE n = $8)
         UPDATE records SET deleted = $3, seq = $1, version = $6, modified = $3, nt = '', ttl = '', jsonld = '' WHERE iri = $2`,
        [seq, iri, at, existing.kind, existing.id, version, existing.organisation, existing.n],
      );
      await unindexRecords(batch.client, [existing.n]);
      return { iri, kind: existing.kind, id: existing.id, seq, deleted: at };
    });
  }

  async *scan(query: RecordQuery = {}, batchSize = 500): AsyncIterable<StoredRecord> {
    const { afterPosition, limit, only, sharedParts, ...rest } = query;
    let after = afterPosition ?? 0;
    let left = limit ?? Infinity;
    while (left > 0) {
      const size = Math.min(batchSize, left);
      const params: unknown[] = [];
      const sql = where(rest, params);
      const rows = await this.query<Row>(
        `SELECT ${columns(only, sharedParts)} FROM records r WHERE ${sql} AND r.n > $${params.length + 1} ORDER BY r.n LIMIT $${params.length + 2}`,
        [...params, after, size],
      );
      for (const row of rows) yield toRecord(row);
      if (rows.length < size) return;
      left -= rows.length;
      after = rows[rows.length - 1]!.n;
    }
  }

  async count(query: RecordQuery = {}): Promise<number> {
    const params: unknown[] = [];
    const sql = where(query, params);
    const [row] = await this.query<{ c: number }>(`SELECT COUNT(*) AS c FROM records r WHERE ${sql}`, params);
    return row!.c;
  }

  async positionAt(query: RecordQuery, index: number): Promise<number | undefined> {
    const params: unknown[] = [];
    const sql = where(query, params);
    const [row] = await this.query<{ n: number }>(`SELECT r.n FROM records r WHERE ${sql} ORDER BY r.n LIMIT 1 OFFSET $${params.length + 1}`, [
      ...params,
      index,
    ]);
    return row?.n;
  }

  async tombstones(afterSeq = 0): Promise<Tombstone[]> {
    return this.query<Tombstone>('SELECT iri, kind, id, seq, deleted FROM records WHERE deleted IS NOT NULL AND seq > $1 ORDER BY seq', [afterSeq]);
  }

  async changes(afterSeq: number, limit: number, filter: ChangeQuery = {}): Promise<Change[]> {
    const params: unknown[] = [afterSeq, limit];
    const conditions = changeConditions(filter, (value) => `$${params.push(value)}`);
    const rows = await this.named<Change & { publisher: string | null; organisation: string | null }>(
      `${changesFrom(filter.only)}$1${conditions} ORDER BY seq LIMIT $2`,
      params,
    );
    return rows.map(({ publisher, organisation, ...rest }) => ({
      ...rest,
      ...(publisher !== null ? { publisher } : {}),
      ...(organisation !== null ? { organisation } : {}),
    }));
  }

  async compactChanges({ superseded, before }: { superseded?: boolean; before?: string }): Promise<number> {
    // In a write batch: under the state row's lock, so no change is numbered meanwhile.
    return this.enqueue(async (batch) => {
      let removed = 0;
      const latest = 'seq < (SELECT last_seq FROM katalog_state)';
      if (superseded) {
        const result = await batch.client.query(
          `DELETE FROM changes c WHERE c.op <> 'delete' AND ${latest} AND EXISTS (SELECT 1 FROM changes d WHERE d.iri = c.iri AND d.seq > c.seq)`,
        );
        removed += result.rowCount ?? 0;
      }
      if (before !== undefined) removed += (await batch.client.query(`DELETE FROM changes WHERE at < $1 AND ${latest}`, [before])).rowCount ?? 0;
      return removed;
    });
  }

  async state(): Promise<StoreState> {
    const [row] = await this.query<{ lastSeq: number; lastModified: string | null; count: number }>(
      `SELECT last_seq AS "lastSeq", last_at AS "lastModified", (SELECT COUNT(*) FROM records WHERE deleted IS NULL) AS count FROM katalog_state`,
    );
    return { lastSeq: row!.lastSeq, lastModified: row!.lastModified ?? undefined, count: row!.count };
  }

  async version(): Promise<StoreVersion> {
    const [row] = await this.query<{ lastSeq: number; lastModified: string | null }>(
      `SELECT last_seq AS "lastSeq", last_at AS "lastModified" FROM katalog_state`,
    );
    return row!.lastModified === null ? { lastSeq: 0 } : { lastSeq: row!.lastSeq, lastModified: row!.lastModified };
  }

  async nodeTriples(node: string, hash: string): Promise<string | undefined> {
    const [row] = await this.query<{ nt: string }>('SELECT nt FROM node_parts WHERE node = $1 AND hash = $2 LIMIT 1', [node, hash]);
    return row?.nt;
  }

  // Search (docs/search.md, "How a search runs"): as the SQLite store, with the words from the
  // tsvector index and the facet postings following the change numbers.

  private postings?: { index: FacetPostings; seq: number; generation: number };
  private loadingPostings?: Promise<FacetPostings>;

  /**
   * The facet postings as of the latest change: loaded at the first search, then brought up to date
   * from the changes since (the value rows of the records they touched), read in one snapshot with
   * the latest change number. After a reindex, loaded again.
   */
  private async facetPostings(): Promise<FacetPostings> {
    if (this.loadingPostings) return this.loadingPostings;
    this.loadingPostings = (async () => {
      // Most searches find nothing written since: one read says so, without a transaction.
      const [now] = await this.query<{ seq: number; generation: number }>('SELECT last_seq AS seq, index_generation AS generation FROM katalog_state');
      if (this.postings && this.postings.seq === now!.seq && this.postings.generation === now!.generation) return this.postings.index;
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { rows } = await client.query<{ seq: number; generation: number }>('SELECT last_seq AS seq, index_generation AS generation FROM katalog_state');
        const { seq, generation } = rows[0]!;
        if (!this.postings || this.postings.generation !== generation || seq - this.postings.seq > 10_000) {
          const lists = await client.query<{ field: string; value: string; positions: string }>(
            `SELECT field, value, string_agg(n::text, ',' ORDER BY n) AS positions FROM search_values GROUP BY field, value`,
          );
          this.postings = { index: FacetPostings.fromLists(lists.rows.map((r) => [r.field, r.value, r.positions])), seq, generation };
        } else if (seq > this.postings.seq) {
          const changed = await client.query<{ n: number; field: string | null; value: string | null }>(
            `SELECT r.n, v.field, v.value FROM records r LEFT JOIN search_values v ON v.n = r.n
             WHERE r.iri IN (SELECT iri FROM changes WHERE seq > $1)`,
            [this.postings.seq],
          );
          const byRecord = new Map<number, Array<[string, string]>>();
          for (const { n, field, value } of changed.rows) {
            const rows = byRecord.get(n) ?? [];
            if (field !== null && value !== null) rows.push([field, value]);
            byRecord.set(n, rows);
          }
          for (const [n, rows] of byRecord) this.postings.index.replace(n, rows);
          this.postings.seq = seq;
        }
        await client.query('COMMIT');
        return this.postings.index;
      } finally {
        client.release();
      }
    })().finally(() => (this.loadingPostings = undefined));
    return this.loadingPostings;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    checkQuery(query);
    try {
      const postings = await this.facetPostings();
      const { catalog, ...filters } = query.filters ?? {};
      let within: PositionSet | undefined;
      // The records with every word, each with its relevance score when the order asks for it:
      // one pass over the matching rows, each term tested on the row's tsvector in memory.
      const scores = new Map<number, number>();
      if (query.q !== undefined) {
        const words = wordsQuery(query.q);
        const terms = query.sort === 'relevance' ? relevanceTerms(query.q) : [];
        const score = terms.map((term, i) => `(doc @@ $${i + 2}::tsquery)::int * ${term.weight}`).join(' + ') || '0';
        const rows =
          words === undefined
            ? []
            : await this.rows<[number, number]>(`SELECT n, ${score} FROM search_text WHERE doc @@ $1::tsquery`, [words, ...terms.map(termQuery)]);
        for (const [n, s] of rows) scores.set(n, s);
        within = postings.setOf(scores.keys());
      }
      const params: unknown[] = [];
      const clauses: string[] = [];
      const add = (sql: (mark: string) => string, value: unknown) => {
        params.push(value);
        clauses.push(sql(`$${params.length}`));
      };
      if (catalog?.length) add((m) => `r.iri IN (SELECT member FROM members WHERE catalog = ANY(${m}::text[]))`, catalog);
      if (query.modifiedSince) add((m) => `r.modified >= ${m}`, query.modifiedSince);
      if (query.modifiedBefore) add((m) => `r.modified < ${m}`, query.modifiedBefore);
      if (clauses.length > 0) {
        const found = postings.setOf(await this.positions(`SELECT r.n FROM records r WHERE r.deleted IS NULL AND ${clauses.join(' AND ')}`, params));
        within = within ? intersect(within, found) : found;
      }
      const everything = within === undefined && Object.values(filters).every((values) => !values?.length);
      const asOf = query.sort !== 'modified' ? 0 : (query.after?.asOf ?? (await this.version()).lastSeq);
      if (query.sort === 'modified') {
        const late = await this.positions(
          `SELECT r.n FROM records r WHERE r.iri IN (SELECT iri FROM changes WHERE seq > $1) AND r.deleted IS NULL AND (${MODIFIED_AS_OF}) IS NULL`,
          [asOf],
        );
        if (late.length > 0) within = subtract(within ?? postings.live(), postings.setOf(late));
      }
      const hits = postings.hitsOf({ within, filters }) ?? postings.live();
      const ordered = await this.ordered(query, hits, everything, asOf, scores, postings);
      const page = ordered.slice(0, query.limit);
      const rows = await this.query<Row>(
        `SELECT ${columns(query.only)} FROM unnest($1::bigint[]) WITH ORDINALITY AS p (n, i) JOIN records r ON r.n = p.n ORDER BY p.i`,
        [page.map((hit) => hit.n)],
      );
      const facets = query.facets?.length ? postings.facets({ within, filters, facets: query.facets, hits, limit: 100 }) : {};
      const next = nextCursor(query, page, ordered.length, asOf);
      return { total: sizeOf(hits), hits: rows.map(toRecord), facets, ...(next ? { next } : {}) };
    } catch (error) {
      throw pgUnavailable(error);
    }
  }

  /** A query's rows as arrays. */
  private async rows<R extends unknown[]>(sql: string, params: unknown[]): Promise<R[]> {
    return (await this.pool.query({ text: sql, values: params, rowMode: 'array', types: TYPES })).rows as R[];
  }

  private async positions(sql: string, params: unknown[]): Promise<number[]> {
    return (await this.rows<[number]>(sql, params)).map((row) => row[0]);
  }

  /** The hits after the cursor in the query's order, one more than a page (see SqliteStore). */
  private async ordered(
    query: SearchQuery,
    hits: PositionSet,
    everything: boolean,
    asOf: number,
    scores: Map<number, number>,
    postings: FacetPostings,
  ): Promise<OrderedHit[]> {
    const after = query.after;
    const size = query.limit + 1;
    const sort = query.sort ?? 'position';
    if (sort === 'position') return byPosition(hits, after, size);
    if (sort === 'relevance') return byRelevance(hits, (n) => scores.get(n) ?? 0, after, size);
    if (sort === 'quality') return byQuality(postings, hits, after, size);
    const descending = sort === 'modified';
    const lang = (['nb', 'nn', 'en'] as const).includes(query.lang as 'nb') ? query.lang! : 'nb';
    const params: unknown[] = sort === 'modified' ? [asOf] : [];
    const key = sort === 'modified' ? MODIFIED_AS_OF : `COALESCE((SELECT t.${lang} FROM search_titles t WHERE t.n = r.n), U&'\\FFFF' COLLATE "C")`;
    // Every live record newest first: the records unchanged since `asOf` straight from the index on
    // (modified, n), the few written since placed by the history; else the hits' keys, sorted.
    const newest = sort === 'modified' && everything;
    const domain = everything ? 'r.deleted IS NULL' : `r.n = ANY($${params.push(positionsIn(hits))}::bigint[])`;
    const op = descending ? '<' : '>';
    const direction = descending ? 'DESC' : 'ASC';
    let cursor = 'TRUE';
    if (after) {
      const k = params.push(after.key);
      const p = params.push(after.position);
      cursor = `(h.k ${op} $${k}::text COLLATE "C" OR (h.k = $${k}::text COLLATE "C" AND h.n ${op} $${p}))`;
    }
    params.push(size);
    if (newest) {
      const unchanged = after ? `AND (r.modified, r.n) < ($${params.length - 2}::text COLLATE "C", $${params.length - 1})` : '';
      return this.query<OrderedHit>(
        `SELECT n, k AS key FROM ((SELECT r.n, r.modified AS k FROM records r WHERE r.deleted IS NULL AND r.seq <= $1 ${unchanged}
           ORDER BY r.modified DESC, r.n DESC LIMIT $${params.length})
         UNION ALL SELECT r.n, (${key}) FROM records r WHERE r.deleted IS NULL AND r.iri IN (SELECT iri FROM changes WHERE seq > $1)) h
         WHERE h.k IS NOT NULL AND ${cursor} ORDER BY h.k DESC, h.n DESC LIMIT $${params.length}`,
        params,
      );
    }
    return this.query<OrderedHit>(
      `SELECT n, k AS key FROM (SELECT r.n, (${key}) COLLATE "C" AS k FROM records r WHERE ${domain}) h
       WHERE h.k IS NOT NULL AND ${cursor} ORDER BY h.k ${direction}, h.n ${direction} LIMIT $${params.length}`,
      params,
    );
  }

  async reindex(fieldsOf: FieldsOf = fieldsFromTriples): Promise<number> {
    let count = 0;
    try {
      for (let after = 0; ;) {
        const rows = await this.query<{ n: number; iri: string; kind: Kind; publisher: string | null; organisation: string | null; nt: string }>(
          'SELECT n, iri, kind, publisher, organisation, nt FROM records WHERE deleted IS NULL AND n > $1 ORDER BY n LIMIT 500',
          [after],
        );
        if (rows.length === 0) break;
        // The fields first (a score validates the record), outside the index's transaction.
        const entries = rows.map(({ n, iri, kind, publisher, organisation, nt }) => ({
          n,
          record: { kind, publisher: publisher ?? undefined, organisation: organisation ?? undefined, search: fieldsOf({ iri, kind, nt }) },
        }));
        await this.enqueue(async ({ client }) => {
          await indexRecords(client, entries);
        });
        count += rows.length;
        after = rows.at(-1)!.n;
      }
      // Every process loads its facet postings again, and its caches ask the store again.
      await this.enqueue(({ client }) =>
        prepared(client, 'WITH reindexed AS (UPDATE katalog_state SET index_generation = index_generation + 1) SELECT pg_notify($1, $2)', [
          this.channel,
          `${this.id} reindexed`,
        ]),
      );
      return count;
    } finally {
      this.postings = undefined; // loaded again by the next search
    }
  }

  async addApiKey(key: ApiKeyRecord): Promise<void> {
    await this.query('INSERT INTO api_keys (id, hash, organisation, admin, label, created, revoked) VALUES ($1, $2, $3, $4, $5, $6, NULL)', [
      key.id,
      key.hash,
      key.organisation,
      key.admin,
      key.label ?? null,
      key.created,
    ]);
  }

  /**
   * Known keys are remembered while this store listens: a revocation anywhere notifies every
   * process, which forgets them all (docs/storage.md, "Several processes"). Unknown keys are not
   * remembered, so guessing costs a question each and fills nothing.
   */
  async findApiKey(hash: string): Promise<ApiKeyRecord | undefined> {
    const remember = this.listening;
    const generation = this.keyGeneration;
    const known = remember ? this.keys.get(hash) : undefined;
    if (known) return known;
    const [row] = await this.named<KeyRow>('SELECT * FROM api_keys WHERE hash = $1 AND revoked IS NULL', [hash]);
    if (!row) return undefined;
    const key = toKey(row);
    // Not when a revocation was announced (or the listener lost) while asking: the row may predate it.
    if (remember && this.listening && generation === this.keyGeneration) {
      if (this.keys.size >= MAX_REMEMBERED_KEYS) this.keys.clear();
      this.keys.set(hash, key);
    }
    return key;
  }

  /** Forgets every remembered key (a revocation somewhere, or notifications possibly missed). */
  private forgetKeys(): void {
    this.keyGeneration++;
    this.keys.clear();
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.query<KeyRow>('SELECT * FROM api_keys ORDER BY k')).map(toKey);
  }

  async revokeApiKey(id: string): Promise<boolean> {
    // The revocation and its announcement commit together.
    const rows = await this.query(
      `WITH revoked AS (UPDATE api_keys SET revoked = $1 WHERE id = $2 AND revoked IS NULL RETURNING id)
       SELECT id, pg_notify($3, $4) FROM revoked`,
      [new Date().toISOString(), id, this.channel, `${KEYS_CHANGED} ${this.id}`],
    );
    this.forgetKeys();
    return rows.length > 0;
  }

  async whileLocked<T>(name: string, work: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
      await client.query(`SELECT pg_advisory_lock(hashtext($1 || current_schema()))`, [`katalog ${name} `]);
    } catch (error) {
      throw pgUnavailable(error);
    }
    try {
      return await work();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, [`katalog ${name} `]).catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushing;
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    this.listening = false;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
    await this.writer.end();
  }
}

/** A record's modification time as of change `$1` (SearchSort): none when it was created later or deleted then. */
const MODIFIED_AS_OF = `CASE WHEN r.seq <= $1 THEN r.modified ELSE (SELECT CASE c.op WHEN 'delete' THEN NULL ELSE c.at END FROM changes c
  WHERE c.iri = r.iri AND c.seq <= $1 ORDER BY c.seq DESC LIMIT 1) END`;
