/**
 * Hostile requests to the quality score (docs/quality.md): a dataset of as many distributions as a record may hold,
 * whose report stays bounded and is made away from the event loop, quality filters and cursors that
 * are not ones, and ids that are not datasets. Each is answered quickly while the server stays
 * responsive, and nothing is stored but the one write.
 */
import { describe, expect } from 'vitest';
import { hostileCase, putDataset, useKatalog } from './harness.js';

useKatalog();

const JSON_ACCEPT = 'application/json';
/** Six triples each: the most a stored record holds (MAX_RECORD_TRIPLES, 5,000) allows about 800. */
const DISTRIBUTIONS = 800;

describe('hostile requests to the quality score', () => {
  hostileCase(
    `stores a dataset with ${DISTRIBUTIONS} distributions`,
    (katalog) => {
      const distributions = Array.from(
        { length: DISTRIBUTIONS },
        (_, i) =>
          `[ a dcat:Distribution ; dct:title "D${i}"@nb ; dcat:accessURL <https://x.test/${i}> ; dcat:downloadURL <https://x.test/${i}.csv> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ]`,
      ).join(', ');
      return putDataset(katalog, 'mange', `dcat:distribution ${distributions}`);
    },
    { status: 201, writes: true, maxMs: 10_000, maxLiveMs: 250, maxBodyBytes: 4 * 1024 * 1024 },
  );
  hostileCase(
    'reports its quality with every distribution scored and 20 listed, as JSON',
    { method: 'GET', path: '/datasets/mange/quality', accept: JSON_ACCEPT },
    {
      status: 200,
      contentType: 'application/json',
      maxMs: 5_000,
      maxBodyBytes: 256 * 1024,
      check: (reply) => {
        const report = reply.json() as { distributionCount: number; distributions: unknown[]; score: number };
        expect(report.distributionCount).toBe(DISTRIBUTIONS);
        expect(report.distributions).toHaveLength(20);
        // Theme, publisher, download URL, format, vocabulary, open and machine-readable formats.
        expect(report.score).toBe(30 + 10 + 20 + 20 + 10 + 20 + 20);
      },
    },
  );
  hostileCase(
    'reports it as DQV in Turtle, bounded the same way',
    { method: 'GET', path: '/datasets/mange/quality', accept: 'text/turtle' },
    {
      status: 200,
      contentType: 'text/turtle',
      maxMs: 5_000,
      maxBodyBytes: 512 * 1024,
    },
  );
  hostileCase(
    'refuses a quality filter that is no rating',
    { method: 'GET', path: `/search?quality=${'x'.repeat(2_000)}`, accept: 'application/ld+json' },
    {
      status: 400,
      kind: 'invalid-request',
    },
  );
  hostileCase(
    'refuses 101 quality filters',
    { method: 'GET', path: `/search?${Array.from({ length: 101 }, () => 'quality=good').join('&')}`, accept: 'application/ld+json' },
    {
      status: 400,
      kind: 'invalid-request',
    },
  );
  hostileCase(
    'refuses a quality cursor whose key is not a score',
    {
      method: 'GET',
      path: `/search?sort=quality&cursor=${Buffer.from(JSON.stringify(['quality', 'x', 1, null])).toString('base64url')}`,
      accept: 'application/ld+json',
    },
    { status: 400, kind: 'invalid-request' },
  );
  hostileCase(
    'answers 404 for the quality of what is not a dataset',
    { method: 'GET', path: '/datasets/..%2Fcatalogs%2Fx/quality', accept: JSON_ACCEPT },
    {
      status: [400, 404],
      kind: ['not-found', 'invalid-request'],
    },
  );
  hostileCase(
    'answers 406 to an Accept it cannot meet',
    { method: 'GET', path: '/datasets/mange/quality', accept: 'image/png' },
    { status: 406, kind: 'not-acceptable' },
  );
});
