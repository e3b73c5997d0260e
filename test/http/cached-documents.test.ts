import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK, DocumentCache, IN_FLIGHT } from '../../src/http/document-cache.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

/**
 * Cached whole catalogues sent as they are go straight from the file to the socket through a few
 * reused buffers (src/http/document-cache.ts): the bytes, the length, HEAD, compression, a client
 * that leaves, and back-pressure, over a real socket.
 */

const openFiles = () => readdirSync('/proc/self/fd').length;

describe('a cached document written to a socket', () => {
  let dir: string;
  let cache: DocumentCache;
  const body = randomBytes(3 * 1024 * 1024 + 12_345);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'katalog-cached-'));
    cache = new DocumentCache(dir);
    writeFileSync(join(dir, encodeURIComponent('catalog.ttl@W/"s1-ttl"')), body);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every byte, in order, to a slow reader, holding at most IN_FLIGHT chunks', async () => {
    const received: Buffer[] = [];
    let most = 0;
    const slow: Writable = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        // What the writer has handed over and the reader not yet taken: the chunks in flight.
        most = Math.max(most, slow.writableLength);
        received.push(Buffer.from(chunk));
        setTimeout(done, 2);
      },
    });
    const before = openFiles();
    await cache.open('catalog.ttl', 'W/"s1-ttl"')!.writeTo(slow);
    await new Promise((resolve) => slow.on('finish', resolve));
    expect(Buffer.concat(received).equals(body)).toBe(true);
    expect(most).toBeGreaterThanOrEqual(CHUNK);
    expect(most).toBeLessThanOrEqual(IN_FLIGHT * CHUNK);
    expect(openFiles()).toBe(before);
  });

  it('stops, and closes the file, when the reader goes away mid-way', async () => {
    let written = 0;
    const leaving: Writable = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (written > 512 * 1024) leaving.destroy();
        done();
      },
    });
    const before = openFiles();
    const document = cache.open('catalog.ttl', 'W/"s1-ttl"')!;
    expect(openFiles()).toBe(before + 1);
    await document.writeTo(leaving);
    expect(written).toBeLessThan(body.length);
    expect(openFiles()).toBe(before);
  });

  it('has nothing for a tag it does not hold', () => {
    expect(cache.open('catalog.ttl', 'W/"s2-ttl"')).toBeUndefined();
  });
});

describe('the whole catalogue from the cache, over HTTP', () => {
  let t: TestApp;
  let base: string;
  let data: string;
  beforeAll(async () => {
    // A catalogue of several chunks: 1,000 datasets with long descriptions.
    data = mkdtempSync(join(tmpdir(), 'katalog-cached-data-'));
    const long = 'Statistikk over befolkning, fordelt på kommune og år. '.repeat(60);
    let turtle = '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n';
    for (let i = 0; i < 1000; i++)
      turtle += `<https://example.org/datasets/d${i}> a dcat:Dataset ; dct:title "Datasett ${i}"@nb ; dct:description "${long}${i}"@nb .\n`;
    writeFileSync(join(data, 'big.ttl'), turtle);
    t = await buildTestApp(data);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.close();
    rmSync(data, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      // No keep-alive: every socket is closed when its response ends, so open files can be counted.
      const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const accept = { accept: 'application/n-triples' };
  const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

  it('sends the same bytes as the first harvest, with their length, and HEAD the same head without a body', async () => {
    const first = await get('/catalog', accept);
    expect(first.headers['x-katalog-cache']).toBe('miss');
    expect(first.body.length).toBeGreaterThan(2 * CHUNK);
    await settle();
    const second = await get('/catalog', accept);
    expect(second.status).toBe(200);
    expect(second.headers['x-katalog-cache']).toBe('hit');
    expect(Number(second.headers['content-length'])).toBe(first.body.length);
    expect(second.headers['transfer-encoding']).toBeUndefined();
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers.vary).toBe(first.headers.vary);
    expect(second.body.equals(first.body)).toBe(true);

    for (const encoding of [{}, { 'accept-encoding': 'gzip' }] as Array<Record<string, string>>) {
      const head = await get('/catalog', { ...accept, ...encoding }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(second.headers['content-length']);
      expect(head.body.length).toBe(0);
    }

    const gzipped = await get('/catalog', { ...accept, 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).equals(first.body)).toBe(true);
    const declined = await get('/catalog', { ...accept, 'accept-encoding': 'identity;q=1, *;q=0' });
    expect(declined.body.equals(first.body)).toBe(true);

    const conditional = await get('/catalog', { ...accept, 'if-none-match': String(first.headers.etag) });
    expect(conditional.status).toBe(304);
  });

  it('stops writing when a client leaves mid-way, leaving no file open, and serves the next one whole', async () => {
    await get('/catalog', accept);
    await settle();
    const whole = await get('/catalog', accept);
    await settle();
    const before = openFiles();
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${base}/catalog`, { headers: accept, agent: false }, (res) => {
          res.pause(); // reads nothing: the server has its two chunks in flight and waits
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 50);
        });
        req.on('error', () => resolve());
        req.end();
      });
    }
    await settle(300);
    expect(openFiles()).toBe(before);
    expect((await get('/catalog', accept)).body.equals(whole.body)).toBe(true);
  });
});
