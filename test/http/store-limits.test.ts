import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { buildTestApp, TEST_BACKEND, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';

/**
 * Values a store cannot keep as they are (docs/storage.md, "PostgreSQL"): PostgreSQL indexes at
 * most about 2,700 bytes per entry (and its text holds no NUL character, which Katalog refuses before
 * any store: no syntax it serves can carry it). A write it cannot keep is
 * refused with a 4xx problem, never a 500, and stores nothing; a keyword too long to filter by is
 * kept, but not indexed as a filter value (on both stores).
 */

const BRREG = '974760673';
const org = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${BRREG}`;
const dataset = (iri: string, extra = '') => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${iri}> a dcat:Dataset ; dct:identifier "grense" ; dct:title "Grenser"@nb ; dct:description "Verdier en database ikke kan indeksere."@nb ;
  dct:publisher <${org}> ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ${extra} .`;

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  key = (await createApiKey(t.store, BRREG)).key;
});
afterAll(() => t.close());

const post = (body: string) =>
  t.app.inject({ method: 'POST', url: '/datasets', payload: body, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` } });

/** Sends the write, and when it is refused proves it was refused with `status` and stored nothing. */
async function refusedOrStored(body: string, refusedOn: Partial<Record<typeof TEST_BACKEND, { status: number; type: string }>>) {
  const before = await t.store.state();
  const response = await post(body);
  const refusal = refusedOn[TEST_BACKEND];
  if (!refusal) {
    expect(response.statusCode, response.body).toBe(201);
    return response;
  }
  expect(response.statusCode, response.body).toBe(refusal.status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().type).toBe(`urn:katalog:problem:${refusal.type}`);
  expect(await t.store.state()).toEqual(before);
  return response;
}

describe('values a store cannot keep as they are', () => {
  it('keeps a record with a keyword of 3,000 characters, found by its words but not as a filter value', async () => {
    const keyword = 'x' + randomBytes(1500).toString('hex');
    const created = await refusedOrStored(dataset(`https://data.example.no/datasets/${randomBytes(8).toString('hex')}`, `; dcat:keyword "${keyword}"@nb`), {});
    const url = String(created.headers.location);
    expect((await t.app.inject({ url: new URL(url).pathname, headers: { accept: 'text/turtle' } })).body).toContain(keyword);
    const byWords = await t.app.inject({ url: `/search?q=${keyword.slice(0, 60)}`, headers: { accept: 'application/ld+json' } });
    expect(byWords.json().totalItems).toBe(1);
    expect(await t.store.search({ filters: { keyword: [keyword] }, limit: 10 })).toMatchObject({ total: 0 });
  });

  it('refuses an IRI too long for a PostgreSQL index with 413, and stores it on SQLite', async () => {
    const iri = `https://data.example.no/datasets/${randomBytes(1500).toString('hex')}`;
    await refusedOrStored(dataset(iri), { postgres: { status: 413, type: 'payload-too-large' } });
  });

  it('refuses a literal holding a NUL character before the store, on both (422: no syntax Katalog serves can carry it)', async () => {
    const iri = `https://data.example.no/datasets/${randomBytes(8).toString('hex')}`;
    await refusedOrStored(dataset(iri, '; dct:alternative "før\\u0000etter"@nb'), {
      sqlite: { status: 422, type: 'unrepresentable' },
      postgres: { status: 422, type: 'unrepresentable' },
    });
  });
});
