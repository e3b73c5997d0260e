import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { loadDirectory, type LoadReport } from '../../src/catalog/data-loader.js';
import { resources } from './validation.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { PgStore } from '../../src/store/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { freshSchema } from './postgres.js';
import { TEST_BASE, TEST_CONTEXT_URL } from './graphs.js';

export interface TestApp {
  app: FastifyInstance;
  /** The temp folder with the database and the document cache. */
  dir: string;
  store: Store;
  report: LoadReport;
  close: () => Promise<void>;
}

/** The backend of this test project: the `postgres` project sets KATALOG_TEST_STORE (vitest.config.ts). */
export const TEST_BACKEND = process.env.KATALOG_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A fresh, empty store of this project's backend, how to open another store on the same database
 * (as another process would), and how to remove the database after closing.
 */
export async function freshStore(dir: string): Promise<{ store: Store; another: () => Promise<Store>; drop: () => Promise<void> }> {
  if (TEST_BACKEND === 'sqlite') {
    const file = join(dir, 'katalog.db');
    return { store: new SqliteStore(file), another: async () => new SqliteStore(file), drop: async () => {} };
  }
  const { url, drop } = await freshSchema();
  return { store: await PgStore.open(url), another: () => PgStore.open(url), drop };
}

/**
 * A test server on a fresh store (a SQLite file in a temp folder, or a PostgreSQL schema in the
 * `postgres` project), with `dataDir` loaded (validated when asked).
 * Bodies are parsed in this thread (WORKERS=0) unless `env` says otherwise; test/hostile runs real
 * servers with worker threads.
 */
export async function buildTestApp(dataDir: string, options: { validate?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const [app] = await buildTestProcesses(dataDir, 1, options);
  return app!;
}

/**
 * `count` test servers on one fresh database, each with its own store (its own connections, change
 * mark and caches), as separate processes would have them; `dataDir` loaded once. Closing the first
 * removes the database, so close the others first.
 */
export async function buildTestProcesses(
  dataDir: string,
  count: number,
  options: { validate?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp[]> {
  const dir = mkdtempSync(join(tmpdir(), 'katalog-test-'));
  const { store, another, drop } = await freshStore(dir);
  const report = await loadDirectory(store, dataDir, {
    baseUrl: TEST_BASE,
    knownContexts: { [TEST_CONTEXT_URL]: CONTEXT_DOCUMENT },
    validation: options.validate ? resources() : undefined,
  });
  const apps: TestApp[] = [];
  for (let i = 0; i < count; i++) {
    const own = i === 0 ? store : await another();
    const app = await buildApp(readConfig({ PUBLIC_BASE_URL: TEST_BASE, WORKERS: '0', ...options.env }), {
      store: own,
      validation: resources(),
      cacheDir: join(dir, `cache-${i}`),
    });
    apps.push({
      app,
      dir,
      store: own,
      report,
      close: async () => {
        await app.close();
        await own.close();
        if (i > 0) return;
        await drop();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  return apps;
}
