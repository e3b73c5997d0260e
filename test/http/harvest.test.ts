import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, type FormatId } from '../../src/core/media-types.js';
import { DCAT, HYDRA, RDF_TYPE } from '../../src/core/namespaces.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES, HTTP_RECORD_URLS } from '../helpers/fixtures.js';
import { parseBack, sameGraph, TEST_BASE } from '../helpers/graphs.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

async function graphOf(url: string, format: FormatId): Promise<Quad[]> {
  const response = await get(url, { accept: FORMATS.find((f) => f.id === format)!.mediaType });
  expect(response.statusCode, `${url} as ${format}`).toBe(200);
  return parseBack(response.body, format);
}

const has = (quads: Quad[], s: string, p: string, o?: string) =>
  quads.some((q) => q.subject.value === s && q.predicate.value === p && (o === undefined || q.object.value === o));

const RECORD_URLS = HTTP_RECORD_URLS;

describe('serving catalogues and records to harvesters', () => {
  it('loads the test catalogue', () => {
    expect(t.report.failed).toBe(0);
    expect(t.report.loaded).toMatchObject({ catalog: 1, dataset: 3, 'dataset-series': 1, 'data-service': 1, service: 1, event: 1 });
  });

  for (const url of ['/catalog', ...RECORD_URLS]) {
    it(`serves ${url} in every syntax as the same graph as its Turtle`, async () => {
      const turtle = await graphOf(url, 'turtle');
      expect(turtle.length).toBeGreaterThan(3);
      for (const format of FORMATS.filter((f) => f.id !== 'turtle')) {
        expect(sameGraph(await graphOf(url, format.id), turtle), `${url} as ${format.id}`).toBe(true);
      }
    });
  }

  it('serves the root catalogue with every record, linked from a dcat:Catalog', async () => {
    const graph = await graphOf('/catalog', 'turtle');
    const root = `${TEST_BASE}/catalog`;
    expect(has(graph, root, RDF_TYPE, DCAT('Catalog'))).toBe(true);
    expect(has(graph, root, DCAT('catalog'), `${TEST_BASE}/catalogs/brreg`)).toBe(true);
    expect(has(graph, root, DCAT('dataset'), 'https://data.norge.no/datasets/uncatalogued')).toBe(true);
    expect(has(graph, `${TEST_BASE}/catalogs/brreg`, DCAT('dataset'), `${TEST_BASE}/datasets/enhetsregisteret`)).toBe(true);
    for (const url of RECORD_URLS) expect(has(graph, TEST_BASE + url, RDF_TYPE), url).toBe(true);
  });

  it('serves a catalogue with its members, and a record with its owned nodes only', async () => {
    const catalog = await graphOf('/catalogs/brreg', 'ntriples');
    expect(has(catalog, `${TEST_BASE}/services/registrere-foretak`, RDF_TYPE)).toBe(true);
    expect(has(catalog, 'https://data.norge.no/datasets/uncatalogued', RDF_TYPE)).toBe(false);
    const dataset = await graphOf('/datasets/enhetsregisteret', 'ntriples');
    expect(has(dataset, `${TEST_BASE}/datasets/enhetsregisteret#csv`, DCAT('accessURL'))).toBe(true);
    expect(has(dataset, `${TEST_BASE}/dataset-series/arsregnskap`, RDF_TYPE)).toBe(false);
  });

  it('lists the records of a kind as a hydra:Collection', async () => {
    const graph = await graphOf('/datasets', 'turtle');
    const collection = `${TEST_BASE}/datasets`;
    expect(has(graph, collection, RDF_TYPE, HYDRA('Collection'))).toBe(true);
    expect(graph.filter((q) => q.subject.value === collection && q.predicate.value === HYDRA('member'))).toHaveLength(3);
    expect(graph.find((q) => q.predicate.value === HYDRA('totalItems'))?.object.value).toBe('3');
  });

  it('dereferences every record IRI under the public base URL, including minted ones', async () => {
    let minted = 0;
    for await (const record of t.store.scan()) {
      if (!record.iri.startsWith(TEST_BASE)) continue;
      if (/\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(record.iri)) minted++;
      const graph = await graphOf(record.iri.slice(TEST_BASE.length), 'ntriples');
      expect(has(graph, record.iri, RDF_TYPE), record.iri).toBe(true);
    }
    expect(minted).toBe(1);
  });

  it('serves records whose IRI is elsewhere under a hashed id', async () => {
    const record = (await t.store.getByIri('https://data.norge.no/datasets/uncatalogued'))!;
    expect(record.id).toMatch(/^[0-9a-f]{16}$/);
    expect(has(await graphOf(`/datasets/${record.id}`, 'turtle'), record.iri, RDF_TYPE)).toBe(true);
  });
});

describe('content negotiation over HTTP', () => {
  const url = '/datasets/enhetsregisteret';

  it('answers each offered media type with that Content-Type and Vary: Accept', async () => {
    for (const format of FORMATS) {
      const response = await get(url, { accept: format.mediaType });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(`${format.mediaType}; charset=utf-8`);
      expect(String(response.headers.vary)).toMatch(/Accept/);
    }
  });

  it('follows q-values, gives Turtle for */* and no Accept, and lets ?format= win', async () => {
    const type = async (headers: Record<string, string>, query = '') => (await get(url + query, headers)).headers['content-type'];
    expect(await type({ accept: 'text/turtle;q=0.4, application/ld+json;q=0.8' })).toMatch(/^application\/ld\+json/);
    expect(await type({ accept: 'application/rdf+xml, text/turtle;q=0.9' })).toMatch(/^application\/rdf\+xml/);
    expect(await type({ accept: '*/*' })).toMatch(/^text\/turtle/);
    expect(await type({})).toMatch(/^text\/turtle/);
    expect(await type({ accept: 'text/turtle' }, '?format=nt')).toMatch(/^application\/n-triples/);
    expect(await type({}, '?format=jsonld')).toMatch(/^application\/ld\+json/);
  });

  it('refuses an unacceptable Accept with 406 problem+json listing what is offered', async () => {
    const response = await get(url, { accept: 'image/png, application/pdf;q=0.5' });
    expect(response.statusCode).toBe(406);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ type: 'urn:katalog:problem:not-acceptable', status: 406 });
    expect(problem.detail).toContain('application/ld+json');
    expect(String(response.headers.vary)).toMatch(/Accept/);
  });

  it('refuses an unknown ?format= with 400 problem+json', async () => {
    const response = await get(`${url}?format=docx`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'urn:katalog:problem:invalid-request', status: 400 });
  });

  it('answers an unknown record and an unknown path with 404 problem+json', async () => {
    for (const path of ['/datasets/no-such-dataset', '/events/nope', '/catalogs/nope', '/no/such/path']) {
      const response = await get(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ type: 'urn:katalog:problem:not-found', status: 404 });
    }
  });

  it('sends ETag and Last-Modified, and 304 with an empty body for a current copy', async () => {
    for (const path of [url, '/catalog', '/catalogs/brreg', '/services']) {
      const first = await get(path, { accept: 'text/turtle' });
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers['last-modified']).toBeDefined();
      const again = await get(path, { accept: 'text/turtle', 'if-none-match': etag });
      expect(again.statusCode, path).toBe(304);
      expect(again.body).toBe('');
      const since = await get(path, { accept: 'text/turtle', 'if-modified-since': String(first.headers['last-modified']) });
      expect(since.statusCode, path).toBe(304);
      const stale = await get(path, { accept: 'text/turtle', 'if-none-match': 'W/"old"' });
      expect(stale.statusCode).toBe(200);
    }
  });

  it('gives each syntax its own ETag, and a new one after a write', async () => {
    const turtle = (await get(url, { accept: 'text/turtle' })).headers.etag;
    const jsonld = (await get(url, { accept: 'application/ld+json' })).headers.etag;
    expect(turtle).not.toBe(jsonld);
    const before = (await get('/catalog')).headers.etag;
    const record = (await t.store.get('dataset', 'enhetsregisteret'))!;
    await t.store.put(record);
    expect((await get('/catalog')).headers.etag).not.toBe(before);
    expect((await get(url, { accept: 'text/turtle' })).headers.etag).not.toBe(turtle);
  });

  it('compresses with gzip and brotli when asked', async () => {
    const plain = await parseBack((await get('/catalog')).body, 'turtle');
    const gzip = await get('/catalog', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(sameGraph(await parseBack(gunzipSync(gzip.rawPayload).toString('utf8'), 'turtle'), plain)).toBe(true);
    const br = await get('/catalog', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(sameGraph(await parseBack(brotliDecompressSync(br.rawPayload).toString('utf8'), 'turtle'), plain)).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await t.app.inject({ method: 'HEAD', url, headers: { accept: 'application/ld+json' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(response.body).toBe('');
  });
});

describe('documents and operations', () => {
  it('serves the JSON-LD context (every JSON-LD response embeds what it uses of it)', async () => {
    const response = await get('/context.jsonld');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(response.json()['@context']).toMatchObject({ dcat: 'http://www.w3.org/ns/dcat#', title: 'dct:title' });
    const jsonld = (await get('/datasets/enhetsregisteret', { accept: 'application/ld+json' })).json();
    expect(typeof jsonld['@context']).toBe('object');
    expect(jsonld['@context']).toMatchObject({ id: '@id', title: 'dct:title', dct: 'http://purl.org/dc/terms/' });
  });

  it('serves the API contract and its browsable UI', async () => {
    const yaml = await get('/openapi.yaml');
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toMatch(/^openapi: 3/);
    const docs = await get('/docs');
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('reports liveness and readiness', async () => {
    expect((await get('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', records: 8 });
  });
});
