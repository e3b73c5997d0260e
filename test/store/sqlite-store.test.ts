import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite-schema.js';
import { OTHER_WRITES_CHECK_MS, SqliteStore } from '../../src/store/sqlite-store.js';
import { describe, expect, it } from 'vitest';
import { triplesOf } from '../../src/core/serialize/representations.js';
import { TURTLE_PREFIXES } from '../../src/core/serialize/turtle.js';
import { parseBack, sameGraph } from '../helpers/graphs.js';
import { all } from '../helpers/iterables.js';
import { storeContract } from './store-contract.js';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'katalog-store-'));
  const file = join(dir, 'katalog.db');
  let store = new SqliteStore(file);
  const others: SqliteStore[] = [];
  return {
    store,
    another: async () => {
      const other = new SqliteStore(file);
      others.push(other);
      return other;
    },
    reopen: async () => {
      await store.close();
      store = new SqliteStore(file);
      return store;
    },
    dispose: async () => {
      for (const other of others) await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite change mark', () => {
  it('changes soon after another connection (another process) writes to the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-store-'));
    const file = join(dir, 'katalog.db');
    const server = new SqliteStore(file);
    const loader = new SqliteStore(file);
    try {
      const before = server.changeMark();
      await loader.put({ iri: 'http://ex/datasets/a', kind: 'dataset', id: 'a', nt: '', ttl: '', jsonld: '' });
      await new Promise((r) => setTimeout(r, OTHER_WRITES_CHECK_MS + 5));
      expect(server.changeMark()).not.toBe(before);
      expect((await server.head('dataset', 'a'))?.iri).toBe('http://ex/datasets/a');
    } finally {
      await loader.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite schema migrations', () => {
  const withFile = async (test: (file: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-store-'));
    try {
      await test(join(dir, 'katalog.db'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('brings a file from before numbered migrations to the latest schema, keeping its records and backfilling the history', () =>
    withFile(async (file) => {
      // A file as Katalog wrote it before: schema 1's tables, user_version 0, changes without versions.
      const old = new Database(file);
      old.exec(MIGRATIONS[0] as string);
      const insert = old.prepare(
        `INSERT INTO records (iri, kind, id, created, modified, version, seq, deleted, nt, ttl, jsonld) VALUES (?, 'dataset', ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      );
      old
        .prepare(
          `INSERT INTO changes (iri, op, at) VALUES ('http://ex/datasets/a', 'create', '2026-01-01T00:00:00.000Z'), ('http://ex/datasets/a', 'update', '2026-01-02T00:00:00.000Z')`,
        )
        .run();
      insert.run('http://ex/datasets/a', 'a', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2-abc', 2, 'nt2', 'ttl2', 'jsonld2');
      old.close();

      const store = new SqliteStore(file);
      try {
        expect((await store.get('dataset', 'a'))!.ttl).toBe('ttl2');
        const changes = await store.changes(0, 10);
        expect(changes.map((c) => [c.seq, c.op, c.kind, c.id, c.ttl])).toEqual([
          [1, 'create', 'dataset', 'a', ''],
          [2, 'update', 'dataset', 'a', 'ttl2'],
        ]);
        expect(changes[1]!.version).toBe('2-abc');
        expect((await store.put({ iri: 'http://ex/datasets/b', kind: 'dataset', id: 'b', nt: 'n', ttl: 't', jsonld: 'j' })).seq).toBe(3);
      } finally {
        await store.close();
      }
      const check = new Database(file);
      expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      check.close();
    }));

  it('lays out the records of a schema-2 file by node parts, keeping their graphs, versions and shared blank nodes', () =>
    withFile(async (file) => {
      const old = new Database(file);
      for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration as string);
      old.pragma('user_version = 2');
      const agent = 'https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673';
      const nt = (iri: string) =>
        `<${iri}> <http://purl.org/dc/terms/publisher> <${agent}> .\n<${agent}> <http://xmlns.com/foaf/0.1/name> "Etaten" .\n` +
        `<${iri}> <http://www.w3.org/ns/dcat#contactPoint> _:kabcb0 .\n_:kabcb0 <http://www.w3.org/2006/vcard/ns#fn> "Kontakt" .\n`;
      const insert = old.prepare(
        `INSERT INTO records (iri, kind, id, created, modified, version, seq, deleted, nt, ttl, jsonld) VALUES (?, 'dataset', ?, 't', 't', ?, ?, NULL, ?, 'old', 'old')`,
      );
      insert.run('http://ex/datasets/a', 'a', 'v1', 1, nt('http://ex/datasets/a'));
      insert.run('http://ex/datasets/b', 'b', 'v2', 2, nt('http://ex/datasets/b'));
      // More than a batch of records, one Katalog did not write (left as it is), and a tombstone.
      for (let i = 0; i < 600; i++) {
        insert.run(`http://ex/datasets/m${i}`, `m${i}`, `vm${i}`, 10 + i, `<http://ex/datasets/m${i}> <http://purl.org/dc/terms/title> "Rad ${i}"@nb .\n`);
      }
      insert.run('http://ex/datasets/odd', 'odd', 'vo', 700, 'not N-Triples');
      old
        .prepare(
          `INSERT INTO records (iri, kind, id, created, modified, version, seq, deleted, nt, ttl, jsonld) VALUES (?, 'dataset', ?, 't', 't', ?, ?, 't', '', '', '')`,
        )
        .run('http://ex/datasets/gone', 'gone', 'vg', 701);
      old.close();

      const store = new SqliteStore(file);
      try {
        expect((await store.get('dataset', 'odd'))!.ttl).toBe('old');
        expect((await store.get('dataset', 'm599'))!.ttl).toContain('"Rad 599"');
        // Migration 4 indexed every live record for search.
        expect((await store.search({ q: 'rad', limit: 1 })).total).toBe(600);
        expect((await store.search({ filters: { kind: ['dataset'] }, limit: 1 })).total).toBe(603);
        expect(await store.get('dataset', 'gone')).toBeUndefined();
        const records = (await all(store.scan({ sharedParts: true }))).filter((r) => r.id === 'a' || r.id === 'b');
        expect(records.map((r) => r.version)).toEqual(['v1', 'v2']);
        for (const r of records) {
          expect(new Set(r.nt.split('\n').filter(Boolean))).toEqual(new Set(nt(r.iri).split('\n').filter(Boolean)));
          expect(sameGraph(await parseBack(TURTLE_PREFIXES + r.ttl, 'turtle'), triplesOf(r.nt))).toBe(true);
          // The blank node both records hold keeps its label (it is a node of its own), and so does the agent.
          expect(r.shared!.map((p) => p.node).sort()).toEqual(['_:kabcb0', agent]);
          expect(r.ttl).toContain('_:kabcb0');
        }
      } finally {
        await store.close();
      }
    }));

  it('refuses a file with a newer schema than it knows, saying so', () =>
    withFile(async (file) => {
      const newer = new Database(file);
      newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      newer.close();
      expect(() => new SqliteStore(file)).toThrow(/schema \d+.*use a newer Katalog/);
    }));
});
