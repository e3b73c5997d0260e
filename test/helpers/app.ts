import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { loadDirectory, type LoadReport } from '../../src/catalog/data-loader.js';
import { resources } from './validation.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { TEST_BASE, TEST_CONTEXT_URL } from './graphs.js';

export interface TestApp {
  app: FastifyInstance;
  /** The temp folder with the database and the document cache. */
  dir: string;
  store: SqliteStore;
  report: LoadReport;
  close: () => Promise<void>;
}

/**
 * A test server on a fresh SQLite file in a temp folder, with `dataDir` loaded (validated when asked).
 * Bodies are parsed in this thread (WORKERS=0) unless `env` says otherwise; test/hostile runs real
 * servers with worker threads.
 */
export async function buildTestApp(dataDir: string, options: { validate?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'katalog-test-'));
  const store = new SqliteStore(join(dir, 'katalog.db'));
  const report = await loadDirectory(store, dataDir, {
    baseUrl: TEST_BASE,
    knownContexts: { [TEST_CONTEXT_URL]: CONTEXT_DOCUMENT },
    validation: options.validate ? resources() : undefined,
  });
  const app = await buildApp(readConfig({ PUBLIC_BASE_URL: TEST_BASE, WORKERS: '0', ...options.env }), {
    store,
    validation: resources(),
    cacheDir: join(dir, 'cache'),
  });
  return {
    app,
    dir,
    store,
    report,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
