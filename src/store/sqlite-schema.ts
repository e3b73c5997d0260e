import type Database from 'better-sqlite3';
import { DataFactory } from 'n3';
import { renderRecord } from '../core/serialize/node-parts.js';
import { triplesOf } from '../core/serialize/representations.js';
import { NodePartsTable } from './sqlite-parts.js';
import { reindexAll, SEARCH_SCHEMA, SORT_SCHEMA } from './sqlite-search.js';

/**
 * The SQLite schema as numbered migrations, applied in order when a store opens; the file's
 * `PRAGMA user_version` is the number of migrations it has. A migration is never edited once
 * released: a change of schema is a new one at the end (docs/storage.md).
 */
export const MIGRATIONS: ReadonlyArray<string | ((db: Database.Database) => void)> = [
  // 1: records with their representations, catalogue membership, API keys, the change sequence.
  // IF NOT EXISTS: files from before numbered migrations have these tables with user_version 0.
  `CREATE TABLE IF NOT EXISTS records (
    n INTEGER PRIMARY KEY,
    iri TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    publisher TEXT,
    organisation TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    version TEXT NOT NULL,
    seq INTEGER NOT NULL,
    deleted TEXT,
    nt TEXT NOT NULL,
    ttl TEXT NOT NULL,
    jsonld TEXT NOT NULL,
    UNIQUE (kind, id)
  );
  CREATE TABLE IF NOT EXISTS members (
    catalog TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (catalog, member)
  );
  -- Lookups by member (which catalogue lists a record).
  CREATE INDEX IF NOT EXISTS members_member_catalog ON members (member, catalog);
  DROP INDEX IF EXISTS members_by_member;
  -- Covers a record's head (validators of a single-record GET) and counting, without reading the large rows.
  CREATE INDEX IF NOT EXISTS records_head ON records (kind, id, deleted, version, modified, iri);
  CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL,
    admin INTEGER NOT NULL,
    label TEXT,
    created TEXT NOT NULL,
    revoked TEXT
  );
  CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    iri TEXT NOT NULL,
    op TEXT NOT NULL,
    at TEXT NOT NULL
  );`,
  // 2: every version kept in the history: each change holds the version it made. Changes written
  // before get their record's kind and id, and the latest version of each record its representations.
  `ALTER TABLE changes ADD COLUMN kind TEXT;
  ALTER TABLE changes ADD COLUMN id TEXT;
  ALTER TABLE changes ADD COLUMN version TEXT;
  ALTER TABLE changes ADD COLUMN publisher TEXT;
  ALTER TABLE changes ADD COLUMN organisation TEXT;
  ALTER TABLE changes ADD COLUMN nt TEXT;
  ALTER TABLE changes ADD COLUMN ttl TEXT;
  ALTER TABLE changes ADD COLUMN jsonld TEXT;
  UPDATE changes SET (kind, id, organisation) = (SELECT r.kind, r.id, r.organisation FROM records r WHERE r.iri = changes.iri);
  UPDATE changes SET (version, publisher, nt, ttl, jsonld) = (SELECT r.version, r.publisher, r.nt, r.ttl, r.jsonld FROM records r WHERE r.seq = changes.seq)
    WHERE seq IN (SELECT seq FROM records);`,
  // 3: node parts (docs/storage.md, Node parts): where each record describes a node other than its
  // root, so that documents write shared nodes once. Records stored before are laid out again.
  (db) => {
    db.exec(`CREATE TABLE node_parts (
      n INTEGER NOT NULL,
      node TEXT NOT NULL,
      hash TEXT NOT NULL,
      nt_from INTEGER NOT NULL, nt_to INTEGER NOT NULL,
      ttl_from INTEGER NOT NULL, ttl_to INTEGER NOT NULL,
      jsonld_from INTEGER NOT NULL, jsonld_to INTEGER NOT NULL,
      nt TEXT NOT NULL,
      seq INTEGER NOT NULL,
      PRIMARY KEY (n, node)
    );
    -- Who else describes a node; a part by its content.
    CREATE INDEX node_parts_node ON node_parts (node, hash, n);`);
    relayOut(db);
  },
  // 4: the search index (docs/search.md). It was filled here from every live record's N-Triples
  // until migration 5, which fills it (and its title keys) for every file that lacks either.
  SEARCH_SCHEMA,
  // 5: sorting searches (docs/search.md, Sorting): title keys; the whole index filled from every
  // live record's N-Triples.
  (db) => {
    db.exec(SORT_SCHEMA);
    reindexAll(db);
  },
  // 6: the change feed filtered by kind or organisation (docs/feed.md) reads its pages by index.
  `CREATE INDEX changes_kind ON changes (kind, seq);
  CREATE INDEX changes_organisation ON changes (organisation, seq);`,
];

/**
 * Lays out every live record again by node parts (from its N-Triples; its version is unchanged: the
 * graph is). Blank nodes standing in several records (one loaded document's shared nodes) keep
 * their labels, as when they were first written.
 */
function relayOut(db: Database.Database): void {
  const live = () => db.prepare('SELECT n, nt FROM records WHERE deleted IS NULL ORDER BY n').iterate() as IterableIterator<{ n: number; nt: string }>;
  const firstSeen = new Map<string, number>();
  const shared = new Set<string>();
  for (const { n, nt } of live()) {
    for (const [, label] of nt.matchAll(/_:(\S+)/g)) {
      const first = firstSeen.get(label!);
      if (first === undefined) firstSeen.set(label!, n);
      else if (first !== n) shared.add(label!);
    }
  }
  firstSeen.clear();
  // In batches: a statement may not run while another iterates on the same connection.
  const batch = db.prepare('SELECT n, iri, nt, seq FROM records WHERE deleted IS NULL AND n > ? ORDER BY n LIMIT 500');
  const update = db.prepare('UPDATE records SET nt = ?, ttl = ?, jsonld = ? WHERE n = ?');
  const parts = new NodePartsTable(db);
  for (
    let after = 0, rows: Array<{ n: number; iri: string; nt: string; seq: number }>;
    (rows = batch.all(after) as typeof rows).length > 0;
    after = rows.at(-1)!.n
  ) {
    for (const { n, iri, nt, seq } of rows) {
      let record;
      try {
        record = renderRecord(triplesOf(nt), DataFactory.namedNode(iri), shared);
      } catch {
        continue; // N-Triples Katalog did not write: the record stays one run, as it was
      }
      update.run(record.nt, record.ttl, record.jsonld, n);
      parts.replace(n, seq, record.nt, record.parts);
    }
  }
}

/** Applies the migrations the file does not have yet, each in its own transaction with its number. */
export function migrate(db: Database.Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const applied = version();
  if (applied > MIGRATIONS.length) {
    throw new Error(`The database has schema ${applied}; this Katalog knows schemas up to ${MIGRATIONS.length}: use a newer Katalog.`);
  }
  for (let i = applied; i < MIGRATIONS.length; i++) {
    // Under the write lock, and only if no other process applied it meanwhile.
    db.transaction(() => {
      if (version() > i) return;
      const migration = MIGRATIONS[i]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${i + 1}`);
    }).immediate();
  }
}
