/**
 * MAX_RECORD_TRIPLES: a write whose record (its own triples and its nodes') is larger than the bound
 * is refused with 413 naming the bound, before it is validated, and nothing is stored; a record
 * within the bound is stored and served whole.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack } from '../helpers/graphs.js';

const ORG = '991825827';
const PUBLISHER = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${ORG}`;
const BOUND = 60;

/** A dataset with `keywords` keywords on a blank node it owns: about 10 + keywords triples. */
const dataset = (
  keywords: number,
) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
[] a dcat:Dataset ; dct:identifier "d" ; dct:title "Tittel"@nb ; dct:description "Beskrivelse."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
  dct:publisher <${PUBLISHER}> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://x.test/d.csv> ; dcat:keyword ${Array.from({ length: keywords }, (_, i) => `"k${i}"`).join(', ')} ] .
<${PUBLISHER}> a foaf:Agent ; dct:identifier "${ORG}" ; foaf:name "Digdir"@nb .`;

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'), { env: { MAX_RECORD_TRIPLES: String(BOUND) } });
  key = (await createApiKey(t.store, ORG)).key;
});
afterAll(() => t.close());

const post = (body: string) =>
  t.app.inject({ method: 'POST', url: '/datasets', payload: body, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` } });

describe('MAX_RECORD_TRIPLES', () => {
  it('refuses a record with more triples than the bound with 413 naming it, and stores nothing', async () => {
    const before = await t.store.count();
    const r = await post(dataset(BOUND));
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ type: 'urn:katalog:problem:payload-too-large', bound: 'maxRecordTriples', limit: BOUND });
    expect(r.json().detail).toMatch(/at most 60/);
    expect(await t.store.count()).toBe(before);
  });

  it('stores a record within the bound and serves all of it', async () => {
    const r = await post(dataset(BOUND - 20));
    expect(r.statusCode).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: new URL(String(r.headers.location)).pathname + '?format=nt' });
    expect(read.statusCode).toBe(200);
    const quads = await parseBack(read.body, 'ntriples');
    expect(quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#keyword')).toHaveLength(BOUND - 20);
  });
});
