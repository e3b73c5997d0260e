/**
 * /health/ready follows the store: 503 store-unavailable problem+json while the store cannot
 * answer, 200 again by itself once it answers, with no restart; /health/live and /metrics answer
 * throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { KatalogError } from '../../src/core/errors.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_BASE } from '../helpers/graphs.js';
import { parsePrometheus } from '../helpers/prometheus.js';
import { resources } from '../helpers/validation.js';

let app: FastifyInstance;
let store: SqliteStore;
/** While true, every call to the store rejects as a backend's does when its database is gone. */
let down = true;

beforeAll(async () => {
  store = new SqliteStore(':memory:');
  const switchable = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        down
          ? Promise.reject(new KatalogError('store-unavailable', 'The database does not answer.'))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  }) as Store;
  app = await buildApp(readConfig({ PUBLIC_BASE_URL: TEST_BASE, WORKERS: '0' }), { store: switchable, validation: resources() });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('readiness follows the store', () => {
  it('answers 503 store-unavailable problem+json while the store rejects', async () => {
    const response = await app.inject({ url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.json()).toMatchObject({ type: 'urn:katalog:problem:store-unavailable', status: 503, instance: '/health/ready' });
    expect(response.json().requestId).toBe(response.headers['x-request-id']);
  });

  it('keeps /health/live at 200 meanwhile', async () => {
    const response = await app.inject({ url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('keeps /metrics at 200 meanwhile, without counts of records', async () => {
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const samples = parsePrometheus(response.body);
    expect(samples.filter((s) => s.name === 'katalog_records')).toEqual([]);
    expect(samples.some((s) => s.name === 'katalog_store_query_duration_seconds_count' && s.labels.operation === 'state')).toBe(true);
  });

  it('answers 200 again by itself once the store answers', async () => {
    down = false;
    const response = await app.inject({ url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', records: 0 });
  });

  it('answers 503 again when the store fails again, and 200 when it is back', async () => {
    down = true;
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(503);
    down = false;
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  });
});
