/**
 * A store that fails under a request (closed here, as a crashed disk or a lost database would
 * behave) is answered with 503 store-unavailable problem+json and Retry-After on every route that
 * reads or writes it, never a 500 with the driver's message.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_WRITES_CHECK_MS } from '../../src/store/sqlite-store.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';

let t: TestApp;
let datasetUrl: string;

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  // Served once while the store answers, so that caches hold it.
  const list = await t.app.inject({ url: '/datasets?format=jsonld' });
  expect(list.statusCode).toBe(200);
  const any = (await t.store.scan({ kind: 'dataset', limit: 1 })[Symbol.asyncIterator]().next()).value!;
  datasetUrl = `/datasets/${any.id}`;
  expect((await t.app.inject({ url: datasetUrl })).statusCode).toBe(200);
  await t.store.close();
  // The record cache answers while the store's change mark holds (OTHER_WRITES_CHECK_MS); after it, the store is asked.
  await new Promise((resolve) => setTimeout(resolve, OTHER_WRITES_CHECK_MS + 5));
});
afterAll(() => t.close());

describe('a store that fails under requests', () => {
  it.each([
    ['GET one record', () => ({ url: datasetUrl })],
    ['GET a kind', () => ({ url: '/datasets' })],
    ['GET the whole catalogue', () => ({ url: '/catalog?pageSize=10' })],
    ['GET /health/ready', () => ({ url: '/health/ready' })],
    [
      'POST a record',
      () => ({
        method: 'POST' as const,
        url: '/datasets',
        headers: { authorization: 'Bearer kat_nothing', 'content-type': 'text/turtle' },
        payload: '<http://x> a <http://www.w3.org/ns/dcat#Dataset> .',
      }),
    ],
  ])('%s: 503 store-unavailable with Retry-After, the driver unnamed', async (_what, request) => {
    const response = await t.app.inject(request());
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: 'urn:katalog:problem:store-unavailable', status: 503 });
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.body).not.toMatch(/sqlite|better-sqlite3|database connection/i);
  });
});
