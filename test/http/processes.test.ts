import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { buildTestProcesses, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE } from '../helpers/graphs.js';

/**
 * Two Katalog processes on one database (docs/storage.md, "Several processes"): each with its own
 * store, connections, change mark and caches. What one writes, the other serves within 100 ms.
 */

const BRREG = '974760673';
const org = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${BRREG}`;
const IRI = `${TEST_BASE}/datasets/prosessdelt`;

const dataset = (title: string) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${IRI}> a dcat:Dataset ; dct:identifier "prosessdelt" ; dct:title "${title}"@nb ;
  dct:description "Delt mellom to prosesser."@nb ; dct:publisher <${org}> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> .`;

let a: TestApp;
let b: TestApp;
let key: string;

beforeAll(async () => {
  const apps = await buildTestProcesses(join(FIXTURES, 'http'), 2);
  [a, b] = [apps[0]!, apps[1]!];
  key = (await createApiKey(a.store, BRREG)).key;
});
afterAll(async () => {
  await b.close();
  await a.close();
});

const write = (t: TestApp, method: 'PUT' | 'DELETE', headers: Record<string, string> = {}, title = 'Prosessdelt') =>
  t.app.inject({
    method,
    url: `/datasets/prosessdelt`,
    payload: method === 'PUT' ? dataset(title) : undefined,
    headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}`, ...headers },
  });

/** Asks `probe` until it holds, at most `ms`; resolves with how long it took. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const etagOf = async (t: TestApp) => (await t.app.inject({ url: '/datasets/prosessdelt', headers: { accept: 'text/turtle' } })).headers.etag;

describe('two processes on one database', () => {
  it('serves a record written through the other process within 100 ms: the record, its ETag, the catalogue and search', async () => {
    // Both have answered (and cached) the absent record and the catalogue before the write.
    expect((await b.app.inject({ url: '/datasets/prosessdelt' })).statusCode).toBe(404);
    const catalogBefore = (await b.app.inject({ url: '/catalog', headers: { accept: 'application/n-triples' } })).body;
    const created = await write(a, 'PUT', { 'if-none-match': '*' });
    expect(created.statusCode, created.body).toBe(201);
    const etag = created.headers.etag;
    expect(await within(100, async () => (await etagOf(b)) === etag)).toBeLessThan(100);
    expect((await b.app.inject({ url: '/catalog', headers: { accept: 'application/n-triples' } })).body).not.toBe(catalogBefore);
    expect((await b.app.inject({ url: '/catalog', headers: { accept: 'application/n-triples' } })).body).toContain(IRI);
    const search = await b.app.inject({ url: '/search?q=prosessdelt', headers: { accept: 'application/ld+json' } });
    expect(search.json().totalItems).toBe(1);

    // Replaced through B: A's cached answer and ETag move on.
    const replaced = await write(b, 'PUT', { 'if-match': String(etag) }, 'Prosessdelt på nytt');
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await within(100, async () => (await etagOf(a)) === replaced.headers.etag)).toBeLessThan(100);
    const stale = await a.app.inject({ url: '/datasets/prosessdelt', headers: { accept: 'text/turtle', 'if-none-match': String(etag) } });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toContain('på nytt');

    // Deleted through A: gone from B.
    expect((await write(a, 'DELETE', { 'if-match': String(replaced.headers.etag) })).statusCode).toBe(204);
    await within(100, async () => (await b.app.inject({ url: '/datasets/prosessdelt' })).statusCode === 404);
    expect((await b.app.inject({ url: '/search?q=prosessdelt', headers: { accept: 'application/ld+json' } })).json().totalItems).toBe(0);
  });

  it('lets exactly one of two PUTs with the same If-Match through different processes win', async () => {
    const created = await write(a, 'PUT', {}, 'Kappløp');
    expect([200, 201]).toContain(created.statusCode);
    const etag = String(created.headers.etag);
    const before = await a.store.state();
    for (let round = 0; round < 5; round++) {
      const current = round === 0 ? etag : String((await a.app.inject({ url: '/datasets/prosessdelt', headers: { accept: 'text/turtle' } })).headers.etag);
      const answers = await Promise.all([write(a, 'PUT', { 'if-match': current }, `A ${round}`), write(b, 'PUT', { 'if-match': current }, `B ${round}`)]);
      const statuses = answers.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 412]);
      expect(answers.find((r) => r.statusCode === 412)!.json().type).toBe('urn:katalog:problem:precondition-failed');
      // Wait until both processes see the winner before the next round.
      const winner = answers.find((r) => r.statusCode === 200)!.headers.etag;
      await within(100, async () => (await etagOf(a)) === winner && (await etagOf(b)) === winner);
    }
    expect((await a.store.state()).lastSeq).toBe(before.lastSeq + 5);
  });
});
