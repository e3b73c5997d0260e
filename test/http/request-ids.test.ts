/**
 * Request ids: every response names its request in X-Request-Id, every problem+json body in
 * `requestId`, every log line of the request in `reqId`; a caller's own id is kept when it is a
 * short safe token and replaced otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { KatalogError } from '../../src/core/errors.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_BASE } from '../helpers/graphs.js';
import { resources } from '../helpers/validation.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: FastifyInstance;
let store: SqliteStore;
/** Every line the app logged, parsed. */
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  store = new SqliteStore(':memory:');
  // The store cannot tell its state: /health/ready answers 503 and logs the failure.
  const failingState = new Proxy(store, {
    get: (target, property) =>
      property === 'state' ? () => Promise.reject(new KatalogError('store-unavailable', 'down')) : Reflect.get(target, property, target),
  }) as Store;
  app = await buildApp(readConfig({ PUBLIC_BASE_URL: TEST_BASE, WORKERS: '0' }), {
    store: failingState,
    validation: resources(),
    logger: { level: 'info', stream: { write: (line: string) => void lines.push(JSON.parse(line)) } },
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

describe('request ids', () => {
  it('gives every response one, new for each request', async () => {
    const [a, b] = [await get('/health/live'), await get('/health/live')];
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it.each(['abc', 'req-2026.12.04_0001', 'A'.repeat(64), '0f8fad5b-d9cb-469f-a165-70867728950e'])('keeps a safe incoming id: %s', async (id) => {
    expect((await get('/health/live', { 'x-request-id': id })).headers['x-request-id']).toBe(id);
  });

  it.each([
    ['too long', 'A'.repeat(65)],
    ['with a space', 'abc def'],
    ['with CR and LF', 'abc\r\nx-injected: 1'],
    ['with a LF', 'abc\nlevel=fatal'],
    ['with quotes', '"abc"'],
    ['with a slash', 'a/b'],
    ['not ASCII', 'forespørsel'],
    ['empty', ''],
  ])('replaces an incoming id %s with a new one', async (_what, id) => {
    const response = await get('/health/live', { 'x-request-id': id });
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.headers['x-injected']).toBeUndefined();
  });

  it('replaces an id sent twice (Node joins them with a comma and a space)', async () => {
    const response = await app.inject({ url: '/health/live', headers: { 'x-request-id': ['abc', 'def'] } });
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it.each<[string, InjectOptions]>([
    ['a path nothing serves (404)', { url: '/nothing' }],
    ['a malformed URL, refused before routing (400)', { url: '/datasets/%E0%A4%A' }],
    ['a bad parameter (400)', { url: '/datasets?pageSize=nope' }],
    ['a write without a key (401)', { method: 'POST' as const, url: '/datasets', payload: '<a> <b> <c> .', headers: { 'content-type': 'text/turtle' } }],
    [
      'a refusing validation report (422)',
      {
        method: 'POST' as const,
        url: '/validate',
        payload: '<http://x.test/d> a <http://www.w3.org/ns/dcat#Dataset> .',
        headers: { 'content-type': 'text/turtle' },
      },
    ],
    ['a store that does not answer (503)', { url: '/health/ready' }],
  ])('puts it in the problem+json body of %s', async (_what, request) => {
    const response = await app.inject({ ...request, headers: { ...(request.headers as Record<string, string>), 'x-request-id': 'problem-1' } });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe('problem-1');
    expect(response.json().requestId).toBe('problem-1');
  });

  it('puts a generated one in the body too, the one of the header', async () => {
    const response = await get('/nothing');
    expect(response.json().requestId).toBe(response.headers['x-request-id']);
  });

  it('puts it in every log line of the request, an error line included', async () => {
    const response = await get('/health/ready', { 'x-request-id': 'logged-1' });
    expect(response.statusCode).toBe(503);
    const logged = lines.filter((line) => line.reqId === 'logged-1');
    expect(logged.map((line) => line.msg)).toEqual(expect.arrayContaining(['incoming request', 'request failed', 'request completed']));
    // No line of this request went out without its id.
    const ofRequest = lines.filter((line) => (line.req as { url?: string } | undefined)?.url === '/health/ready' || line.msg === 'request failed');
    expect(ofRequest.every((line) => typeof line.reqId === 'string')).toBe(true);
  });

  it('logs a generated one in place of a hostile incoming one', async () => {
    const response = await get('/health/live', { 'x-request-id': 'evil\nline' });
    const id = response.headers['x-request-id'];
    expect(lines.filter((line) => line.reqId === id).length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(lines)).not.toContain('evil');
  });
});
