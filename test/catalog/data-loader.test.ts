import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeLoad, loadDirectory } from '../../src/catalog/data-loader.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { StoredRecord } from '../../src/store/store.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE } from '../helpers/graphs.js';
import { resources } from '../helpers/validation.js';
import { all } from '../helpers/iterables.js';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'katalog-loader-'));
  store = new SqliteStore(join(dir, 'k.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loading a data folder', () => {
  it('loads the good files and reports the broken one with file, line and column, storing nothing of it', async () => {
    const report = await loadDirectory(store, join(FIXTURES, 'loader'), { baseUrl: TEST_BASE });
    const broken = report.files.find((f) => f.file.endsWith('broken.ttl'))!;
    expect(broken.error).toMatchObject({ line: 6 });
    expect(broken.error!.column).toBeGreaterThan(0);
    expect(broken.loaded).toEqual({});
    expect(report.failed).toBe(1);
    expect(report.loaded).toEqual({ catalog: 1, dataset: 3, 'data-service': 1 });
    expect(await store.get('dataset', 'never-stored')).toBeUndefined();
    expect(await store.get('dataset', 'also-never')).toBeUndefined();
    expect(await store.get('data-service', 'json-api')).toBeDefined();
    const lines = describeLoad(report);
    expect(lines.find((l) => l.includes('broken.ttl'))).toMatch(/broken\.ttl:6:\d+: not loaded/);
  });

  it('validates the targeted nodes no record reaches and reports those with violations, storing none of them', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(
      join(data, 'stray.ttl'),
      `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://x.test/stray> a dcat:Distribution ; dct:title "Uten tilgangsadresse"@nb .
<http://x.test/fine> a dcat:Distribution ; dcat:accessURL <https://x.test/a.csv> .`,
    );
    const report = await loadDirectory(store, data, { baseUrl: TEST_BASE, validation: resources() });
    const file = report.files[0]!;
    expect(file.loaded).toEqual({});
    expect(file.unattached.map((n) => n.node)).toEqual(['http://x.test/stray']);
    expect(file.unattached[0]!.results.some((r) => r.severity === 'Violation' && r.path === 'http://www.w3.org/ns/dcat#accessURL')).toBe(true);
    expect(describeLoad(report).join('\n')).toMatch(/<http:\/\/x\.test\/stray> \(not part of any record, not stored\) violates dcat-ap-no/);
    expect(await store.count()).toBe(0);
  });

  it('validates every record when asked, storing the valid ones and reporting the others with their rules', async () => {
    const report = await loadDirectory(store, join(FIXTURES, 'loader'), { baseUrl: TEST_BASE, validation: resources() });
    const file = report.files.find((f) => f.file.endsWith('partly-invalid.ttl'))!;
    expect(file.loaded).toEqual({ dataset: 1 });
    expect(file.rejected).toHaveLength(1);
    expect(file.rejected[0]).toMatchObject({ iri: `${TEST_BASE}/datasets/no-title`, kind: 'dataset', profile: 'dcat-ap-no' });
    expect(file.rejected[0]!.results.some((r) => r.severity === 'Violation' && r.path === 'http://purl.org/dc/terms/title')).toBe(true);
    expect(await store.get('dataset', 'no-title')).toBeUndefined();
    expect(await store.get('dataset', 'valid-too')).toBeDefined();
    expect(report.failed).toBe(2);
    const lines = describeLoad(report);
    expect(lines.some((l) => l.includes('no-title') && l.includes('dcat-ap-no'))).toBe(true);
    expect(lines.some((l) => /dct:title/.test(l))).toBe(true);
  });

  it('resolves relative IRIs against the public base URL', async () => {
    await loadDirectory(store, join(FIXTURES, 'loader'), { baseUrl: TEST_BASE });
    expect((await store.get('dataset', 'good-one'))!.iri).toBe(`${TEST_BASE}/datasets/good-one`);
    expect((await store.get('dataset', 'good-one'))!.catalog).toBe(`${TEST_BASE}/catalogs/good`);
  });

  it('mints the same IRIs when the same files are loaded again', async () => {
    await loadDirectory(store, join(FIXTURES, 'http'), { baseUrl: TEST_BASE });
    const count = await store.count();
    await loadDirectory(store, join(FIXTURES, 'http'), { baseUrl: TEST_BASE });
    expect(await store.count()).toBe(count);
  });
});

describe('loading in worker threads', () => {
  it('stores the same records in the same order, and reports the same, as loading in turn', async () => {
    const options = { baseUrl: TEST_BASE, validation: resources() };
    const inTurn = await loadDirectory(store, join(FIXTURES, 'loader'), options);
    const other = new SqliteStore(join(dir, 'threads.db'));
    try {
      const files: number[] = [];
      const threaded = await loadDirectory(other, join(FIXTURES, 'loader'), { ...options, threads: 2, onFile: (_entry, done) => files.push(done) });
      expect(files).toEqual(inTurn.files.map((_, i) => i + 1));
      expect(JSON.parse(JSON.stringify(threaded))).toEqual(JSON.parse(JSON.stringify(inTurn)));
      const strip = ({ created: _created, modified: _modified, version: _version, ...rest }: StoredRecord) => rest;
      expect((await all(other.scan())).map(strip)).toEqual((await all(store.scan())).map(strip));
    } finally {
      await other.close();
    }
  });
});
