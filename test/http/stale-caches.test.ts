import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleCaches } from '../../src/http/document-cache.js';

describe('document cache folders, one per process', () => {
  it("removes the folders of processes that are gone and old loose files, keeping live processes' folders", () => {
    const parent = mkdtempSync(join(tmpdir(), 'katalog-caches-'));
    try {
      const live = join(parent, String(process.ppid));
      const gone = join(parent, '999999999');
      for (const dir of [live, gone]) mkdirSync(dir);
      writeFileSync(join(live, 'catalog.ttl@s1'), 'x');
      writeFileSync(join(gone, 'catalog.ttl@s1'), 'x');
      writeFileSync(join(parent, 'catalog.ttl%40s1'), 'from the one-folder layout');
      removeStaleCaches(parent);
      expect(existsSync(join(live, 'catalog.ttl@s1'))).toBe(true);
      expect(existsSync(gone)).toBe(false);
      expect(existsSync(join(parent, 'catalog.ttl%40s1'))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
