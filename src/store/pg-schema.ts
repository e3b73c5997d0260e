import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The PostgreSQL schema as numbered migrations (docs/storage.md, "PostgreSQL"), applied in order at
 * start, each in the transaction that records it in `katalog_migrations`, all under an advisory
 * lock: several processes starting at once wait for the first, then find the migrations applied. A
 * migration is never edited once released: a change of schema is a new one at the end. Tables live
 * in the connection's current schema (`search_path`), so one database can hold several stores.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: everything the SQLite store has after its migration 5, in one step. Times are ISO 8601 in
  // UTC compared as text, so in byte order ("C") whatever the database's collation. The
  // representations are compressed with lz4, several times faster to write than the default.
  `CREATE TABLE katalog_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- The latest change's number and time. Every write locks this row first, so writes commit one
    -- after another and sequence numbers become visible in commit order, from any process.
    last_seq BIGINT NOT NULL,
    last_at TEXT COLLATE "C"
  );
  INSERT INTO katalog_state VALUES (1, 0, NULL);
  CREATE TABLE records (
    n BIGSERIAL PRIMARY KEY,
    iri TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    publisher TEXT,
    organisation TEXT,
    created TEXT NOT NULL,
    modified TEXT COLLATE "C" NOT NULL,
    version TEXT NOT NULL,
    seq BIGINT NOT NULL,
    deleted TEXT,
    nt TEXT COMPRESSION lz4 NOT NULL,
    ttl TEXT COMPRESSION lz4 NOT NULL,
    jsonld TEXT COMPRESSION lz4 NOT NULL,
    UNIQUE (kind, id)
  );
  CREATE INDEX records_live ON records (n) INCLUDE (modified, seq, iri) WHERE deleted IS NULL;
  CREATE INDEX records_tombstones ON records (seq) WHERE deleted IS NOT NULL;
  -- The newest live records first (a search sorted by modification time with no condition).
  CREATE INDEX records_modified ON records (modified, n) WHERE deleted IS NULL;
  CREATE TABLE members (
    catalog TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (catalog, member)
  );
  CREATE INDEX members_member_catalog ON members (member, catalog);
  CREATE TABLE api_keys (
    k BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL,
    admin BOOLEAN NOT NULL,
    label TEXT,
    created TEXT NOT NULL,
    revoked TEXT
  );
  CREATE TABLE changes (
    seq BIGINT PRIMARY KEY,
    iri TEXT NOT NULL,
    op TEXT NOT NULL,
    at TEXT COLLATE "C" NOT NULL,
    kind TEXT, id TEXT, version TEXT, publisher TEXT, organisation TEXT,
    nt TEXT COMPRESSION lz4, ttl TEXT COMPRESSION lz4, jsonld TEXT COMPRESSION lz4
  );
  CREATE INDEX changes_iri ON changes (iri, seq);
  CREATE TABLE node_parts (
    n BIGINT NOT NULL,
    node TEXT NOT NULL,
    hash TEXT NOT NULL,
    nt_from INTEGER NOT NULL, nt_to INTEGER NOT NULL,
    ttl_from INTEGER NOT NULL, ttl_to INTEGER NOT NULL,
    jsonld_from INTEGER NOT NULL, jsonld_to INTEGER NOT NULL,
    nt TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (n, node)
  );
  CREATE INDEX node_parts_node ON node_parts (node, hash, n);
  -- The search index (docs/search.md): the three text fields as one tsvector, weighted A (title),
  -- B (keyword), C (description), made by Katalog from the same words SQLite indexes.
  CREATE TABLE search_text (n BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL);
  CREATE INDEX search_text_doc ON search_text USING GIN (doc);
  CREATE TABLE search_values (field TEXT NOT NULL, value TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (field, value, n));
  CREATE INDEX search_values_n ON search_values (n);
  CREATE TABLE search_titles (n BIGINT PRIMARY KEY, nb TEXT COLLATE "C", nn TEXT COLLATE "C", en TEXT COLLATE "C");`,
  // 2: a reindex's number, so that every process's facet postings are loaded again after one (a
  // reindex rewrites the index without a change number).
  `ALTER TABLE katalog_state ADD COLUMN index_generation BIGINT NOT NULL DEFAULT 0;`,
  // 3: the change feed filtered by kind or organisation (docs/feed.md) reads its pages by index.
  `CREATE INDEX changes_kind ON changes (kind, seq);
  CREATE INDEX changes_organisation ON changes (organisation, seq);`,
];

/** Applies the migrations this schema lacks; resolves with how many it applied. */
export async function migratePg(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One lock per schema: stores in other schemas of the same database migrate independently.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('katalog migrations ' || current_schema()))`);
    await client.query('CREATE TABLE IF NOT EXISTS katalog_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM katalog_migrations');
    const done = rows[0]?.version ?? 0;
    if (done > PG_MIGRATIONS.length) {
      throw new Error(`This database has ${done} migrations, more than this Katalog knows (${PG_MIGRATIONS.length}): run a newer Katalog.`);
    }
    for (let version = done + 1; version <= PG_MIGRATIONS.length; version++) {
      await client.query(PG_MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO katalog_migrations VALUES ($1, $2)', [version, new Date().toISOString()]);
    }
    await client.query('COMMIT');
    return PG_MIGRATIONS.length - done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Statement names by text (see prepared): the texts are the code's own constants, so few. */
const names = new Map<string, string>();

/**
 * A statement prepared once per connection (named by its text): the write statements are long and
 * the same every time, and planning them again per write costs more than running them; so do the
 * reads every write makes first (its credential, its claims). Only for texts that do not vary with
 * the input: each one stays prepared on every connection that ran it.
 */
export function prepared<R extends pg.QueryResultRow>(client: pg.ClientBase | pg.Pool, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `k${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return client.query<R>({ name, text, values });
}
