import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server the tests use (test/helpers/postgres.ts), or '' when there is none. */
    databaseUrl: string;
  }
}

/**
 * Vitest's global setup: the PostgreSQL half of the suite runs on KATALOG_TEST_DATABASE_URL when it
 * is set (.ci/run starts a cluster and sets it), else on a throwaway cluster started here with
 * .ci/postgres when PostgreSQL's server programs are installed, and is skipped, saying so, when not.
 */
export default function setup(project: TestProject): () => void {
  let url = process.env.KATALOG_TEST_DATABASE_URL ?? '';
  let stop = () => {};
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-pg-'));
    const script = join(import.meta.dirname, '..', '..', '.ci', 'postgres');
    try {
      url = execFileSync(script, ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      stop = () => execFileSync(script, ['stop', dir], { stdio: 'ignore' });
    } catch (error) {
      const reason = (error as { stderr?: Buffer | string }).stderr?.toString().trim() || String(error);
      console.warn(`\nPostgreSQL: no server (${reason}); every PostgreSQL test is SKIPPED. Set KATALOG_TEST_DATABASE_URL or install PostgreSQL.\n`);
    }
  }
  if (url) console.warn(`\nPostgreSQL: the PostgreSQL half of the suite runs on ${url.replace(/\/\/[^@]*@/, '//')}\n`);
  project.provide('databaseUrl', url);
  return stop;
}
