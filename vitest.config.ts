import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Whether this machine can run the PostgreSQL project: a server is given, or one can be started. */
const postgres =
  !!process.env.KATALOG_TEST_DATABASE_URL ||
  (existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)));

/**
 * The HTTP tests that touch storage, run again on PostgreSQL (docs/storage.md, "Tests on both
 * backends"). The Store contract runs on both in test/store/ itself.
 */
const ON_BOTH = [
  'cached-documents',
  'document-cache',
  'feed',
  'live-feed',
  'harvest',
  'ownership',
  'paging',
  'quality',
  'processes',
  'readiness',
  'search',
  'shared-once',
  'store-limits',
  'store-unavailable',
  'validation',
  'writes',
].map((name) => `test/http/${name}.test.ts`);

if (!postgres) console.warn('\nPostgreSQL: no server programs and no KATALOG_TEST_DATABASE_URL: the PostgreSQL project is SKIPPED.\n');

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // On a loaded 2-core machine, files in parallel starve vitest's own messages ("Timeout calling
    // onTaskUpdate") and fail a green run; CI runs the files one after another.
    fileParallelism: process.env.CI !== 'true',
    // Files share one module graph per worker: each file importing the whole app again cost CI about
    // two minutes. Module state a file must not inherit is reset in its own hooks (test/hostile/harness.ts).
    isolate: false,
    // A PostgreSQL server for the PostgreSQL half, or a clear note that it is skipped.
    globalSetup: ['test/helpers/postgres-setup.ts'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(postgres ? [{ extends: true, test: { name: 'postgres', include: ON_BOTH, env: { KATALOG_TEST_STORE: 'postgres' } } }] : []),
    ],
  },
});
