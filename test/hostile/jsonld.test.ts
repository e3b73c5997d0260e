/**
 * Hostile JSON-LD: one property with a million values (jsonld.js merges values with a scan per
 * value), thousands of scoped contexts, deep JSON, and contexts that try to make the server fetch a
 * URL or to change how the next document reads our own context.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSONLD, jsonldDataset, NS } from './bodies.js';
import { CASE_TIMEOUT, get, hostileCase, PUBLIC_BASE_URL, runCase, send, useKatalog } from './harness.js';

const katalog = useKatalog();

const CONTEXT_URL = `${PUBLIC_BASE_URL}/context.jsonld`;
const integers = (n: number) => Array.from({ length: n }, (_, i) => i);
const body = (document: unknown) => ({ contentType: JSONLD, body: JSON.stringify(document) });

/** 20,000 nodes, each with a scoped (inline) @context of its own. */
function scopedContexts(n: number) {
  return {
    '@context': { dct: NS.dct },
    '@graph': Array.from({ length: n }, (_, i) => ({
      '@context': { ex: `http://x.test/ctx/${i}/` },
      '@id': `http://x.test/node/${i}`,
      'ex:p': `v${i}`,
    })),
  };
}

/** JSON text nested `depth` arrays deep, as the value of a property (built as text: no recursion). */
const deepArrays = (depth: number) =>
  `{"@id": "http://x.test/deep", "@type": "${NS.dcat}Dataset", "http://x.test/p": ${'['.repeat(depth)}1${']'.repeat(depth)}}`;
const deepObjects = (depth: number) =>
  `{"@id": "http://x.test/deep", "@type": "${NS.dcat}Dataset", "http://x.test/p": ${'{"http://x.test/p": '.repeat(depth)}"bunn"${'}'.repeat(depth)}}`;

/** A listener that counts every request: the server must never fetch from it. */
let trap: Server;
let trapUrl = '';
let trapHits = 0;
beforeAll(async () => {
  trap = createServer((request, response) => {
    trapHits++;
    response.writeHead(200, { 'content-type': 'application/ld+json' }).end(JSON.stringify({ '@context': { dcat: 'http://evil.test/dcat#' } }));
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => trap.close(() => resolve())));

/**
 * A normal JSON-LD dataset that refers to our context by URL: a stored record as the server serves
 * it (with the context embedded), its @context replaced by the context's URL, as a client that
 * keeps the context apart would send it.
 */
async function normalJsonLd(): Promise<string> {
  const served = await get(katalog.base, '/datasets/enhetsregisteret?format=jsonld');
  expect(served.status, 'GET /datasets/enhetsregisteret?format=jsonld').toBe(200);
  const document = JSON.parse(served.text) as Record<string, unknown>;
  expect(typeof document['@context'], 'the served context is embedded').toBe('object');
  return JSON.stringify({ ...document, '@context': CONTEXT_URL });
}

/** The normal dataset still validates: 200 or 422, never 400 (the context read as it is). */
async function expectNormalStillValidates() {
  const text = await normalJsonLd();
  await runCase({ contentType: JSONLD, body: text }, { status: [200, 422], kind: 'shacl-violation', maxBodyBytes: 1 << 20 });
}

describe('hostile JSON-LD: values, contexts and nesting', () => {
  hostileCase('refuses one JSON-LD property with 100,000 distinct integers with 413', () => body(jsonldDataset({ 'http://x.test/p': integers(100_000) })), {
    status: 413,
    kind: 'payload-too-large',
  });

  hostileCase(
    'refuses one JSON-LD property with 1,200,000 distinct integers (8.5 MB) with 413',
    () => body(jsonldDataset({ 'http://x.test/p': integers(1_200_000) })),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase('refuses one JSON-LD property with 2,001 values with 413', () => body(jsonldDataset({ 'http://x.test/p': integers(2_001) })), {
    status: 413,
    kind: 'payload-too-large',
  });

  hostileCase('answers one JSON-LD property with 1,500 values normally', () => body(jsonldDataset({ 'http://x.test/p': integers(1_500) })), {
    status: [200, 422],
    kind: 'shacl-violation',
    maxBodyBytes: 1 << 20,
  });

  hostileCase('refuses 20,000 JSON-LD nodes each with a scoped @context with 413', () => body(scopedContexts(20_000)), {
    status: 413,
    kind: 'payload-too-large',
  });

  hostileCase('refuses JSON-LD nested 100,000 arrays deep with 413', () => ({ contentType: JSONLD, body: deepArrays(100_000) }), {
    status: 413,
    kind: 'payload-too-large',
  });

  hostileCase('refuses JSON-LD nested 1,000 objects deep with 413', () => ({ contentType: JSONLD, body: deepObjects(1_000) }), {
    status: 413,
    kind: 'payload-too-large',
  });

  it(
    'reads our context as it is after a body @imports it and redefines its terms',
    async () => {
      const poison = {
        '@context': { '@version': 1.1, '@import': CONTEXT_URL, dcat: 'http://evil.test/dcat#', dct: 'http://evil.test/dct#', title: 'http://evil.test/title' },
        '@id': 'http://x.test/poison',
        '@type': 'dcat:Dataset',
        title: { '@value': 'Gift', '@language': 'nb' },
      };
      await runCase(body(poison), { status: [200, 400, 422], kind: ['invalid-request', 'rdf-syntax', 'shacl-violation'], maxBodyBytes: 1 << 20 });
      await expectNormalStillValidates();
    },
    CASE_TIMEOUT,
  );

  it(
    'reads our context as it is after 300 bodies each with a distinct inline context',
    async () => {
      const statuses: number[] = [];
      for (let batch = 0; batch < 300; batch += 10) {
        const replies = await Promise.all(
          Array.from({ length: 10 }, (_, j) => {
            const i = batch + j;
            const document = {
              '@context': [CONTEXT_URL, { dcat: `http://evil.test/${i}/dcat#`, title: `http://evil.test/${i}/title`, [`t${i}`]: `http://x.test/t${i}` }],
              '@id': `http://x.test/inline/${i}`,
              '@type': 'dcat:Dataset',
              title: { '@value': `Tittel ${i}`, '@language': 'nb' },
              [`t${i}`]: `verdi ${i}`,
            };
            return send(katalog.base, body(document));
          }),
        );
        statuses.push(...replies.map((r) => r.status));
      }
      expect(
        statuses.filter((s) => s === 0 || s >= 500),
        'no server errors and no dropped requests',
      ).toEqual([]);
      await expectNormalStillValidates();
    },
    CASE_TIMEOUT,
  );

  it(
    'refuses a remote @context URL with 400 and fetches nothing',
    async () => {
      const document = { ...jsonldDataset(), '@context': `${trapUrl}/context.jsonld` };
      await runCase(body(document), { status: 400, kind: ['invalid-request', 'rdf-syntax'] });
      expect(trapHits, 'requests the server sent to the remote context').toBe(0);
    },
    CASE_TIMEOUT,
  );

  it(
    'refuses an @import of a remote URL with 400 and fetches nothing',
    async () => {
      const document = { ...jsonldDataset(), '@context': { '@version': 1.1, '@import': `${trapUrl}/import.jsonld` } };
      await runCase(body(document), { status: 400, kind: ['invalid-request', 'rdf-syntax'] });
      expect(trapHits, 'requests the server sent to the remote context').toBe(0);
    },
    CASE_TIMEOUT,
  );

  it(
    'refuses a remote context beside ours, and one scoped to a term, with 400 and fetches nothing',
    async () => {
      await runCase(body({ ...jsonldDataset(), '@context': [CONTEXT_URL, `${trapUrl}/second.jsonld`] }), {
        status: 400,
        kind: ['invalid-request', 'rdf-syntax'],
      });
      const scoped = {
        ...jsonldDataset(),
        '@context': { '@version': 1.1, p: { '@id': 'http://x.test/p', '@context': `${trapUrl}/scoped.jsonld` } },
        p: { 'http://x.test/q': 'x' },
      };
      await runCase(body(scoped), { status: 400, kind: ['invalid-request', 'rdf-syntax'] });
      expect(trapHits, 'requests the server sent to the remote context').toBe(0);
    },
    CASE_TIMEOUT,
  );
});
