import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFile } from '../src/project-files.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { FIXTURES } from './helpers/fixtures.js';

function katalog(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', projectFile('src', 'main.ts'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the katalog command', () => {
  it('loads a folder and prints what it loaded per kind, failing on a broken file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-cli-'));
    try {
      const db = join(dir, 'k.db');
      const run = katalog(['load', join(FIXTURES, 'loader')], { KATALOG_DB: db });
      expect(run.stdout).toMatch(/good\.ttl: 1 catalog, 1 dataset/);
      expect(run.stdout).toMatch(/broken\.ttl:6:\d+: not loaded/);
      expect(run.stdout).toMatch(/no-title> not loaded: it violates dcat-ap-no/);
      expect(run.stdout).toMatch(/total: .*1 data-service.*1 file\(s\) not loaded, 1 record\(s\) refused/);
      expect(run.status).toBe(1);
      const store = new SqliteStore(db);
      expect(await store.count()).toBe(4);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with one line naming a bad variable', () => {
    const run = katalog(['serve'], { PORT: 'abc' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('katalog:'))).toEqual([expect.stringMatching(/^katalog: PORT="abc" is invalid/)]);
  });
});
