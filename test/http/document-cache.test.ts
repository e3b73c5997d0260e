import { gunzipSync } from 'node:zlib';
import { get } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDocument } from '../../src/catalog/ingest.js';
import { type Format, FORMATS } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';
import { generateCatalogues } from '../../bench/generate.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, sameGraph, TEST_BASE } from '../helpers/graphs.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
});
afterAll(() => t.close());

const fetchCatalog = (format: Format = FORMATS[0]) => t.app.inject({ url: '/catalog', headers: { accept: format.mediaType } });
/** The file is renamed into place just after the response ends. */
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('whole catalogues kept as files between writes', () => {
  it('serves the second harvest of an unchanged catalogue from the file, as the same graph', async () => {
    for (const format of FORMATS) {
      const first = await fetchCatalog(format);
      await settle();
      const second = await fetchCatalog(format);
      expect(first.headers['x-katalog-cache'], format.id).toBe('miss');
      expect(second.headers['x-katalog-cache'], format.id).toBe('hit');
      expect(second.headers.etag).toBe(first.headers.etag);
      // The file's length is known: sent as Content-Length (without compression), the bytes as assembled.
      expect(Number(second.headers['content-length']), format.id).toBe(second.rawPayload.length);
      expect(second.rawPayload.equals(first.rawPayload), format.id).toBe(true);
      const gzipped = await t.app.inject({ url: '/catalog', headers: { accept: format.mediaType, 'accept-encoding': 'gzip' } });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzipped.rawPayload).equals(first.rawPayload), format.id).toBe(true);
      expect(sameGraph(await parseBack(second.body, format.id), await parseBack(first.body, format.id)), format.id).toBe(true);
    }
  });

  it('keeps one file per syntax: a harvester alternating syntaxes hits every one', async () => {
    for (const format of FORMATS) await fetchCatalog(format);
    await settle();
    for (const format of FORMATS) expect((await fetchCatalog(format)).headers['x-katalog-cache'], format.id).toBe('hit');
  });

  it('is never stale: after a write and a delete every syntax shows them', async () => {
    for (const format of FORMATS) await fetchCatalog(format);
    await settle();
    const record = (await t.store.get('dataset', 'enhetsregisteret'))!;
    const changed = record.nt.replace('"Enhetsregisteret"@nb', '"Enhetsregisteret (endret)"@nb');
    const quads = await parseRdf(changed, 'ntriples', { baseIRI: `${TEST_BASE}/` });
    const [input] = prepareDocument(quads, TEST_BASE, 'changed').records;
    await t.store.put(input!);
    await t.store.delete(`${TEST_BASE}/events/starte-bedrift`);
    for (const format of FORMATS) {
      const response = await fetchCatalog(format);
      expect(response.headers['x-katalog-cache'], format.id).toBe('miss');
      const graph = await parseBack(response.body, format.id);
      expect(
        graph.some((q) => q.object.value === 'Enhetsregisteret (endret)'),
        format.id,
      ).toBe(true);
      expect(
        graph.some((q) => q.subject.value === `${TEST_BASE}/events/starte-bedrift`),
        format.id,
      ).toBe(false);
    }
  });
});

describe('a client that goes away mid-catalogue', () => {
  it('leaves no cursor, transaction or partial file: the next request and a write succeed', async () => {
    const big = await buildTestApp(join(FIXTURES, 'http'));
    try {
      for (const { organisation, turtle } of generateCatalogues(3000, 3)) {
        const quads = await parseRdf(turtle, 'turtle', { baseIRI: `${TEST_BASE}/` });
        await big.store.putMany(prepareDocument(quads, TEST_BASE, organisation).records);
      }
      await big.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (big.app.server.address() as { port: number }).port;
      const received = await new Promise<number>((resolve, reject) => {
        const request = get({ port, host: '127.0.0.1', path: '/catalog', headers: { accept: 'text/turtle' } }, (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > 64 * 1024) {
              request.destroy();
              resolve(bytes);
            }
          });
          response.on('end', () => reject(new Error('the whole catalogue arrived before the client could leave')));
        });
        request.on('error', () => undefined);
      });
      expect(received).toBeGreaterThan(64 * 1024);
      await new Promise((r) => setTimeout(r, 200));
      const record = (await big.store.get('dataset', 'enhetsregisteret'))!;
      expect((await big.store.put(record)).seq).toBeGreaterThan(record.seq);
      const next = await fetch(`http://127.0.0.1:${port}/catalog`, { headers: { accept: 'application/n-triples' } });
      expect(next.status).toBe(200);
      const graph = await parseBack(await next.text(), 'ntriples');
      expect(graph.filter((q) => q.object.value === 'http://www.w3.org/ns/dcat#Dataset').length).toBeGreaterThan(3000);
      await new Promise((r) => setTimeout(r, 200));
      const files = readdirSync(join(big.dir, 'cache-0'));
      expect(files.filter((f) => f.endsWith('.part'))).toEqual([]);
    } finally {
      await big.close();
    }
  }, 60_000);
});
