import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTHER_WRITES_CHECK_MS, SqliteStore } from '../../src/store/sqlite-store.js';
import { describe, expect, it } from 'vitest';
import { storeContract } from './store-contract.js';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'katalog-store-'));
  const file = join(dir, 'katalog.db');
  let store = new SqliteStore(file);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = new SqliteStore(file);
      return store;
    },
    dispose: async () => {
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
