import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { type Format, FORMATS } from '../../src/core/media-types.js';
import { triplesOf } from '../../src/core/serialize/representations.js';
import { OTHER_WRITES_CHECK_MS, SqliteStore } from '../../src/store/sqlite-store.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, sameGraph, TEST_BASE } from '../helpers/graphs.js';
import { all } from '../helpers/iterables.js';

/**
 * Served bytes come from representations computed at write time, whole catalogues kept as files
 * and single records kept in memory. None of them may outlive a write: after a PUT and a DELETE
 * through the API, every syntax of the record and of the catalogues is the stored graph.
 */
let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  key = (await createApiKey(t.store, '974760673')).key;
});
afterAll(() => t.close());

const RECORD = '/datasets/enhetsregisteret';
const DELETED = '/data-services/enhetsregisteret-api';
const read = (url: string, format: Format) => t.app.inject({ url, headers: { accept: format.mediaType } });
/** Cached catalogue files are renamed into place just after the response ends. */
async function cachedSoon(url: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if ((await read(url, FORMATS[0]!)).headers['x-katalog-cache'] === 'hit') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The stored graph of a set of records, from the store's canonical N-Triples. */
async function storedGraph(records: AsyncIterable<{ nt: string }> | Array<{ nt: string }>): Promise<Quad[]> {
  const quads: Quad[] = [];
  for await (const record of records) quads.push(...triplesOf(record.nt));
  return quads;
}

describe('precomputed and cached representations after writes', () => {
  it('serve the stored graph in every syntax after a PUT and a DELETE', async () => {
    // Fill every cache: the record in memory, the catalogues as files.
    for (const format of FORMATS) {
      for (const url of [RECORD, '/catalogs/brreg', '/catalog']) expect((await read(url, format)).statusCode).toBe(200);
    }
    expect(await cachedSoon('/catalog')).toBe(true);
    expect(await cachedSoon('/catalogs/brreg')).toBe(true);

    const before = (await t.store.get('dataset', 'enhetsregisteret'))!;
    const changed = before.nt.replaceAll('"Enhetsregisteret"@nb', '"Enhetsregisteret (endret)"@nb');
    const put = await t.app.inject({
      method: 'PUT',
      url: RECORD,
      payload: changed,
      headers: { 'content-type': 'application/n-triples', authorization: `Bearer ${key}`, 'if-match': before.version },
    });
    expect(put.statusCode, put.body).toBe(200);
    const deleted = await t.app.inject({ method: 'DELETE', url: DELETED, headers: { authorization: `Bearer ${key}` } });
    expect(deleted.statusCode, deleted.body).toBe(204);

    const after = (await t.store.get('dataset', 'enhetsregisteret'))!;
    expect(sameGraph(triplesOf(after.nt), triplesOf(changed))).toBe(true);
    const catalog = (await t.store.get('catalog', 'brreg'))!;
    const catalogGraph = await storedGraph([catalog, ...(await all(t.store.scan({ catalog: catalog.iri })))]);
    const everything = await storedGraph(t.store.scan());
    const deletedIri = `${TEST_BASE}${DELETED}`;

    for (const format of FORMATS) {
      const record = await read(RECORD, format);
      expect(record.headers.etag, format.id).toContain(after.version);
      expect(sameGraph(await parseBack(record.body, format.id), triplesOf(after.nt)), `record as ${format.id}`).toBe(true);

      const gone = await read(DELETED, format);
      expect(gone.statusCode, format.id).toBe(404);

      const perOrganisation = await parseBack((await read('/catalogs/brreg', format)).body, format.id);
      expect(sameGraph(perOrganisation, catalogGraph), `catalogue as ${format.id}`).toBe(true);

      const whole = await parseBack((await read('/catalog', format)).body, format.id);
      // The root catalogue node is written per response; everything else is stored records.
      const root = whole.filter((q) => q.subject.value === `${TEST_BASE}/catalog`);
      expect(root.length, format.id).toBeGreaterThan(0);
      expect(sameGraph(whole, [...everything, ...root]), `root catalogue as ${format.id}`).toBe(true);
      expect(
        root.some((q) => q.object.value === deletedIri),
        format.id,
      ).toBe(false);
      expect(
        whole.some((q) => q.subject.value === deletedIri),
        format.id,
      ).toBe(false);
      expect(
        whole.some((q) => q.object.value === 'Enhetsregisteret'),
        format.id,
      ).toBe(false);
    }
  });

  it('answers 304 only for the current version of a record kept in memory', async () => {
    const first = await read(RECORD, FORMATS[0]!);
    const current = await t.app.inject({ url: RECORD, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(current.statusCode).toBe(304);
    const before = (await t.store.get('dataset', 'enhetsregisteret'))!;
    const put = await t.app.inject({
      method: 'PUT',
      url: RECORD,
      payload: before.nt.replaceAll('(endret)', '(endret igjen)'),
      headers: { 'content-type': 'application/n-triples', authorization: `Bearer ${key}` },
    });
    expect(put.statusCode, put.body).toBe(200);
    const stale = await t.app.inject({ url: RECORD, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toContain('endret igjen');
  });
});

describe('records kept in memory and another process writing', () => {
  it('serve what another connection to the same database wrote, once the store has looked', async () => {
    const first = await read(RECORD, FORMATS[0]!);
    expect(first.statusCode).toBe(200);
    const other = new SqliteStore(join(t.dir, 'katalog.db'));
    try {
      const stored = (await other.get('dataset', 'enhetsregisteret'))!;
      await other.put({ ...stored, ttl: stored.ttl.replace(/dct:title "[^"]*"@nb/, 'dct:title "Skrevet av en annen prosess"@nb') });
    } finally {
      await other.close();
    }
    await new Promise((r) => setTimeout(r, OTHER_WRITES_CHECK_MS + 5));
    const second = await read(RECORD, FORMATS[0]!);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(second.body).toContain('Skrevet av en annen prosess');
  });
});
