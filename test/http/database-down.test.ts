import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { readConfig } from '../../src/config.js';
import { PgStore } from '../../src/store/pg-store.js';
import { TEST_BASE } from '../helpers/graphs.js';
import { resources } from '../helpers/validation.js';

/**
 * PostgreSQL goes down and comes back while Katalog runs (docs/storage.md, "When the database is
 * down"): 503 store-unavailable problem+json meanwhile, never a hang or a 500, no acknowledged write
 * lost, and normal service afterwards without restarting Katalog. The cluster is this file's own
 * (.ci/postgres), since it is stopped; without PostgreSQL's server programs the file is skipped.
 */

const script = join(import.meta.dirname, '..', '..', '.ci', 'postgres');
let cluster = '';
let url = '';
try {
  cluster = mkdtempSync(join(tmpdir(), 'katalog-pg-down-'));
  url = execFileSync(script, ['start', cluster], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  url = '';
}

const BRREG = '974760673';
const org = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${BRREG}`;
const dataset = (id: string) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${TEST_BASE}/datasets/${id}> a dcat:Dataset ; dct:identifier "${id}" ; dct:title "Nede og oppe ${id}"@nb ;
  dct:description "Skrevet mens databasen går ned og kommer opp."@nb ; dct:publisher <${org}> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> .`;

describe.skipIf(!url)(url ? 'PostgreSQL down and back' : 'PostgreSQL down and back (SKIPPED: no PostgreSQL server programs)', () => {
  let store: PgStore;
  let app: FastifyInstance;
  let key: string;

  beforeAll(async () => {
    store = await PgStore.open(url);
    app = await buildApp(readConfig({ PUBLIC_BASE_URL: TEST_BASE, WORKERS: '0' }), {
      store,
      validation: resources(),
      cacheDir: join(cluster, 'cache'),
      isReady: () => true,
    });
    key = (await createApiKey(store, BRREG)).key;
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    execFileSync(script, ['stop', cluster]);
  });

  const put = (id: string) =>
    app.inject({
      method: 'PUT',
      url: `/datasets/${id}`,
      payload: dataset(id),
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
    });

  it('answers 503 store-unavailable while the database is down, and serves again by itself when it is back', async () => {
    const created = await put('for');
    expect(created.statusCode, created.body).toBe(201);
    const etag = created.headers.etag;
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);

    execFileSync(script, ['pause', cluster]);
    try {
      for (const request of [
        () => app.inject({ url: '/health/ready' }),
        () => app.inject({ url: '/datasets/for', headers: { accept: 'text/turtle' } }),
        () => app.inject({ url: '/search?q=nede', headers: { accept: 'application/ld+json' } }),
        () => put('under'),
      ]) {
        const started = performance.now();
        const response = await request();
        expect(performance.now() - started).toBeLessThan(10_000);
        expect(response.statusCode, response.body).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().type).toBe('urn:katalog:problem:store-unavailable');
        expect(response.headers['retry-after']).toBeDefined();
      }
    } finally {
      execFileSync(script, ['resume', cluster]);
    }

    // Back without restarting Katalog: ready again within a few seconds.
    const started = performance.now();
    while ((await app.inject({ url: '/health/ready' })).statusCode !== 200) {
      expect(performance.now() - started).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const read = await app.inject({ url: '/datasets/for', headers: { accept: 'text/turtle' } });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(etag); // the write acknowledged before is there, unchanged
    expect((await app.inject({ url: '/datasets/under' })).statusCode).toBe(404); // the refused one is not
    expect((await put('etter')).statusCode).toBe(201);
    expect((await app.inject({ url: '/search?q=nede', headers: { accept: 'application/ld+json' } })).json().totalItems).toBe(2);
  }, 60_000);
});
