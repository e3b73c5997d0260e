/**
 * GET /metrics: Prometheus's text format, counters that move with the requests they count, route
 * labels that are patterns (bounded however many URLs are asked for), record counts equal to the
 * store's, and no 5xx whatever the query string or Accept header.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { KINDS } from '../../src/core/kinds.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parsePrometheus, type Sample, sampleValue } from '../helpers/prometheus.js';

const BRREG = '974760673';
const BRREG_IRI = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${BRREG}`;

/** A dataset of Brønnøysundregistrene; without a title it violates the profile. */
function dataset(title = true): string {
  return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
[] a dcat:Dataset ; dct:identifier "aksjeeiere" ; ${title ? 'dct:title "Aksjeeiere"@nb ;' : ''}
  dct:description "Eiere av aksjer i norske aksjeselskap."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
  dct:publisher <${BRREG_IRI}> .
<${BRREG_IRI}> a foaf:Agent ; dct:identifier "${BRREG}" ; foaf:name "Brønnøysundregistrene"@nb .`;
}

let t: TestApp;
let key: string;
let datasetUrl: string;

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  key = (await createApiKey(t.store, BRREG)).key;
  const any = (await t.store.scan({ kind: 'dataset', limit: 1 })[Symbol.asyncIterator]().next()).value!;
  datasetUrl = `/datasets/${any.id}`;
});
afterAll(() => t.close());

async function scrape(): Promise<Sample[]> {
  const response = await t.app.inject({ url: '/metrics' });
  expect(response.statusCode).toBe(200);
  return parsePrometheus(response.body);
}

/** How much one sample moved while `action` ran. */
async function change(name: string, labels: Record<string, string>, action: () => Promise<unknown>): Promise<number> {
  const before = sampleValue(await scrape(), name, labels);
  await action();
  return sampleValue(await scrape(), name, labels) - before;
}

const write = (method: 'POST' | 'PUT', url: string, body: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, payload: body, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}`, ...headers } });

describe('GET /metrics', () => {
  it('counts the records of each kind as the store does (run first: the counts are kept a few seconds)', async () => {
    const samples = await scrape();
    for (const { kind } of KINDS) expect(sampleValue(samples, 'katalog_records', { kind }), kind).toBe(await t.store.count({ kind }));
  });

  it('answers in the Prometheus text format, uncached, with the process metrics', async () => {
    const response = await t.app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const names = new Set(parsePrometheus(response.body).map((s) => s.name));
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'katalog_http_requests_total']) {
      expect(names, name).toContain(name);
    }
  });

  it('counts a GET by its route pattern, method and status, and times it', async () => {
    const labels = { route: '/datasets/:id', method: 'GET', status: '200' };
    expect(await change('katalog_http_requests_total', labels, () => t.app.inject({ url: datasetUrl }))).toBe(1);
    const timed = sampleValue(await scrape(), 'katalog_http_request_duration_seconds_count', { route: '/datasets/:id', method: 'GET' });
    expect(timed).toBeGreaterThanOrEqual(1);
  });

  it('counts every path no route serves under one route label', async () => {
    const labels = { route: 'unmatched', method: 'GET', status: '404' };
    const moved = await change('katalog_http_requests_total', labels, async () => {
      for (const path of ['/nothing', '/nothing/here', '/datasets/a/b/c']) expect((await t.app.inject({ url: path })).statusCode).toBe(404);
    });
    expect(moved).toBe(3);
  });

  it('labels 50 different record URLs with one route pattern, never the URL', async () => {
    const labels = { route: '/datasets/:id', method: 'GET', status: '404' };
    const moved = await change('katalog_http_requests_total', labels, async () => {
      for (let i = 0; i < 50; i++) expect((await t.app.inject({ url: `/datasets/unknown-${i}` })).statusCode).toBe(404);
    });
    expect(moved).toBe(50);
    const routes = new Set((await scrape()).flatMap((s) => (s.labels.route === undefined ? [] : [s.labels.route])));
    expect([...routes].filter((route) => route.includes('unknown-'))).toEqual([]);
  });

  it('counts what Fastify refuses before routing (a malformed URL) under the same label', async () => {
    const labels = { route: 'unmatched', method: 'GET', status: '400' };
    expect(await change('katalog_http_requests_total', labels, () => t.app.inject({ url: '/datasets/%E0%A4%A' }))).toBe(1);
  });

  it('counts refused writes by method and problem kind, and not a refusing POST /validate', async () => {
    const violation = { method: 'POST', reason: 'shacl-violation' };
    expect(
      await change('katalog_writes_refused_total', violation, async () => expect((await write('POST', '/datasets', dataset(false))).statusCode).toBe(422)),
    ).toBe(1);
    const unauthorised = { method: 'POST', reason: 'unauthorized' };
    expect(
      await change('katalog_writes_refused_total', unauthorised, async () => {
        const response = await t.app.inject({ method: 'POST', url: '/datasets', payload: dataset(), headers: { 'content-type': 'text/turtle' } });
        expect(response.statusCode).toBe(401);
      }),
    ).toBe(1);
    const created = await write('POST', '/datasets', dataset());
    expect(created.statusCode, created.body).toBe(201);
    const url = String(created.headers.location).replace(/^https?:\/\/[^/]+/, '');
    const stale = { method: 'PUT', reason: 'precondition-failed' };
    expect(
      await change('katalog_writes_refused_total', stale, async () => {
        expect((await write('PUT', url, dataset(), { 'if-match': 'W/"stale-ttl"' })).statusCode).toBe(412);
      }),
    ).toBe(1);
    const anyRefusal = {};
    expect(
      await change('katalog_writes_refused_total', anyRefusal, async () => {
        const response = await t.app.inject({ method: 'POST', url: '/validate', payload: dataset(false), headers: { 'content-type': 'text/turtle' } });
        expect(response.statusCode).toBe(422);
      }),
    ).toBe(0);
  });

  it('times the validation of each write by profile', async () => {
    const labels = { profile: 'dcat-ap-no' };
    expect(
      await change('katalog_validation_duration_seconds_count', labels, async () => expect((await write('POST', '/datasets', dataset())).statusCode).toBe(201)),
    ).toBe(1);
    expect(sampleValue(await scrape(), 'katalog_validation_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('times the store calls a request makes, by Store method', async () => {
    const labels = { operation: 'search' };
    expect(await change('katalog_store_query_duration_seconds_count', labels, () => t.app.inject({ url: '/datasets?q=nothingatall' }))).toBe(1);
  });

  it('counts hits and misses of the record cache', async () => {
    const url = `${datasetUrl}?format=nt`;
    const before = await scrape();
    await t.app.inject({ url });
    await t.app.inject({ url });
    const after = await scrape();
    const moved = (name: string) => sampleValue(after, name, { cache: 'record' }) - sampleValue(before, name, { cache: 'record' });
    expect(moved('katalog_cache_misses_total')).toBe(1);
    expect(moved('katalog_cache_hits_total')).toBe(1);
  });

  it('counts hits of the document cache, and a catalogue written from it past the reply as a request', async () => {
    const url = '/catalog?format=nt';
    await t.app.inject({ url });
    // The first answer is kept once it has been written whole, a moment after it was sent.
    await vi.waitFor(async () => expect((await t.app.inject({ method: 'HEAD', url })).headers['x-katalog-cache']).toBe('hit'));
    const before = await scrape();
    const hit = await t.app.inject({ url });
    expect(hit.headers['x-katalog-cache']).toBe('hit');
    const after = await scrape();
    expect(sampleValue(after, 'katalog_cache_hits_total', { cache: 'document' }) - sampleValue(before, 'katalog_cache_hits_total', { cache: 'document' })).toBe(
      1,
    );
    const labels = { route: '/catalog', method: 'GET', status: '200' };
    expect(sampleValue(after, 'katalog_http_requests_total', labels) - sampleValue(before, 'katalog_http_requests_total', labels)).toBe(1);
  });

  it('asks the store for record counts at most once per kind however many scrapes come together', async () => {
    const count = vi.spyOn(t.store, 'count');
    try {
      await Promise.all(Array.from({ length: 5 }, () => scrape()));
      await scrape();
      expect(count.mock.calls.length).toBeLessThanOrEqual(KINDS.length);
    } finally {
      count.mockRestore();
    }
  });

  it.each([
    ['a query string', { url: '/metrics?format=nt&name[]=x&%zz=1' }],
    ['a query string of 4,000 characters', { url: `/metrics?${'a=b&'.repeat(1000)}` }],
    ['Accept: OpenMetrics', { url: '/metrics', headers: { accept: 'application/openmetrics-text; version=1.0.0; charset=utf-8' } }],
    ['Accept: an RDF syntax', { url: '/metrics', headers: { accept: 'text/turtle' } }],
    ['a malformed Accept', { url: '/metrics', headers: { accept: ';;;q=x,,/,*/*;q=2' } }],
    ['Accept-Encoding: gzip', { url: '/metrics', headers: { 'accept-encoding': 'gzip' } }],
    ['HEAD', { method: 'HEAD' as const, url: '/metrics' }],
  ])('answers %s with 200, never a 5xx', async (_what, request) => {
    const response = await t.app.inject(request);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
