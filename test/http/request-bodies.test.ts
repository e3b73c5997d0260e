/**
 * How request bodies are read (src/http/rdf-bodies.ts collectBody): into one buffer of their own,
 * with Content-Length, without it (chunked), compressed, and over BODY_LIMIT (413, also when only
 * the decompressed body is over it), with multi-byte characters split between chunks.
 */
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';

const LIMIT = 64 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'), { env: { BODY_LIMIT: String(LIMIT) } });
});
afterAll(() => t.close());

/** A Turtle document of `n` datasets, each titled `title`. */
const datasets = (n: number, title = 'Blåbærsyltetøy') =>
  '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n' +
  Array.from({ length: n }, (_, i) => `<http://x.test/d/${i}> a dcat:Dataset ; dct:title "${title}"@nb .`).join('\n');

const records = (r: { json: () => { records: unknown[] } }) => r.json().records.length;

/** A problem body without the request's id, which differs from one request to the next. */
const withoutRequestId = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;

/** A stream that gives `bytes` in chunks of `size` bytes (splitting multi-byte characters). */
const chunked = (bytes: Buffer, size: number) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

describe('request bodies', () => {
  it('reads a body sent in chunks without Content-Length, growing its buffer, with characters split between chunks', async () => {
    const text = datasets(300);
    const bytes = Buffer.from(text);
    expect(bytes.length).toBeGreaterThan(16 * 1024);
    expect(bytes.length).toBeLessThan(LIMIT);
    const r = await t.app.inject({ method: 'POST', url: '/validate', payload: chunked(bytes, 1001), headers: { 'content-type': 'text/turtle' } });
    expect(r.statusCode, r.body).toBe(422);
    expect(records(r)).toBe(300);
    // The same report as for the body sent whole: every character decoded as sent.
    const same = await t.app.inject({ method: 'POST', url: '/validate', payload: text, headers: { 'content-type': 'text/turtle' } });
    expect(withoutRequestId(same.json())).toEqual(withoutRequestId(r.json()));
  });

  it('reads a gzip-compressed body', async () => {
    const text = datasets(50);
    const r = await t.app.inject({
      method: 'POST',
      url: '/validate',
      payload: gzipSync(text),
      headers: { 'content-type': 'text/turtle', 'content-encoding': 'gzip' },
    });
    expect(r.statusCode, r.body).toBe(422);
    expect(records(r)).toBe(50);
  });

  it('refuses a body over BODY_LIMIT with 413, by Content-Length, as it streams in, and once decompressed, storing nothing', async () => {
    const before = await t.store.state();
    const big = Buffer.from(datasets(1_000));
    expect(big.length).toBeGreaterThan(LIMIT);
    const cases = [
      { payload: big, headers: { 'content-type': 'text/turtle' } },
      { payload: chunked(big, 4096), headers: { 'content-type': 'text/turtle' } },
      // A small gzip body that inflates past the limit (a "zip bomb").
      { payload: gzipSync(big), headers: { 'content-type': 'text/turtle', 'content-encoding': 'gzip' } },
    ];
    for (const c of cases) {
      const r = await t.app.inject({ method: 'POST', url: '/validate', ...c });
      expect(r.statusCode, r.body).toBe(413);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json().type).toBe('urn:katalog:problem:payload-too-large');
    }
    expect(await t.store.state()).toEqual(before);
  });
});
