import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { FORMATS } from '../../src/core/media-types.js';
import { mintBlankRoots } from '../../src/core/records.js';
import { parseRdf } from '../../src/core/parse.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, sameGraph, TEST_BASE } from '../helpers/graphs.js';

const BRREG = '974760673';
const DIGDIR = '991825827';
const orgIri = (org: string) => `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${org}`;

function dataset(options: { subject?: string; org?: string; title?: string | null; extra?: string } = {}): string {
  const org = options.org ?? BRREG;
  const title = options.title === null ? '' : `dct:title "${options.title ?? 'Aksjeeiere'}"@nb, "Shareholders"@en ;`;
  return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
${options.subject ?? '[]'} a dcat:Dataset ;
  dct:identifier "aksjeeiere" ; ${title}
  dct:description "Eiere av aksjer i norske aksjeselskap."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
  dct:publisher <${orgIri(org)}> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://data.brreg.no/aksjeeiere.csv> ;
                      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
<${orgIri(org)}> a foaf:Agent ; dct:identifier "${org}" ; foaf:name "Organisasjon ${org}"@nb .
${options.extra ?? ''}`;
}

let t: TestApp;
let brreg: string;
let digdir: string;
let admin: string;

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  brreg = (await createApiKey(t.store, BRREG)).key;
  digdir = (await createApiKey(t.store, DIGDIR)).key;
  admin = (await createApiKey(t.store, '910000000', { admin: true })).key;
});
afterAll(() => t.close());

type Headers = Record<string, string>;
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: string, headers: Headers = {}) =>
  t.app.inject({ method, url, payload: body, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${brreg}`, ...headers } });
const post = (body: string, headers: Headers = {}, url = '/datasets') => send('POST', url, body, headers);
const put = (url: string, body: string, headers: Headers = {}) => send('PUT', url, body, headers);

/** Runs a refused write and proves the store did not change: record count, sequence, a record's version. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function refused(action: () => Promise<{ statusCode: number; json: () => any }>, status: number, kind: string, watch?: string) {
  const before = await t.store.state();
  const watched = watch ? await t.store.getByIri(watch) : undefined;
  const response = await action();
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(response.json().type).toBe(`urn:katalog:problem:${kind}`);
  expect(await t.store.state()).toEqual(before);
  if (watch) expect((await t.store.getByIri(watch))?.version).toBe(watched?.version);
  return response;
}

describe('creating, reading, replacing and deleting a record', () => {
  it('creates a dataset with a blank-node root under a minted IRI, readable in every syntax', async () => {
    const body = dataset();
    const response = await post(body);
    expect(response.statusCode).toBe(201);
    const location = String(response.headers.location);
    expect(location).toMatch(new RegExp(`^${TEST_BASE}/datasets/[0-9a-f-]{36}$`));
    expect(response.headers.etag).toMatch(/^W\/".+-ttl"$/);
    expect(response.json()).toMatchObject({ record: location, kind: 'dataset', url: location, validation: { conforms: true } });
    const sent = mintBlankRoots(await parseRdf(body, 'turtle', { baseIRI: `${TEST_BASE}/` }), () => location);
    for (const format of FORMATS) {
      const read = await t.app.inject({ url: location.slice(TEST_BASE.length), headers: { accept: format.mediaType } });
      expect(read.statusCode).toBe(200);
      expect(sameGraph(await parseBack(read.body, format.id), sent), format.id).toBe(true);
    }
  });

  it('keeps a submitted IRI, and refuses to create it twice with 409', async () => {
    const iri = 'https://data.brreg.no/datasets/aksjeeierbok';
    const first = await post(dataset({ subject: `<${iri}>` }));
    expect(first.statusCode).toBe(201);
    expect(first.json().record).toBe(iri);
    await refused(() => post(dataset({ subject: `<${iri}>` })), 409, 'conflict', iri);
  });

  it('replaces with a current If-Match, and refuses a stale one with 412', async () => {
    const created = await post(dataset());
    const url = String(created.headers.location).slice(TEST_BASE.length);
    const iri = String(created.headers.location);
    const etag = String(created.headers.etag);
    const catalogEtag = (await t.app.inject('/catalog')).headers.etag;
    const replaced = await put(url, dataset({ subject: `<${iri}>`, title: 'Aksjeeierregisteret' }), { 'if-match': etag });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.headers.etag).not.toBe(etag);
    const read = await parseBack((await t.app.inject(url)).body, 'turtle');
    expect(read.some((q) => q.object.value === 'Aksjeeierregisteret')).toBe(true);
    expect((await t.app.inject('/catalog')).headers.etag).not.toBe(catalogEtag);
    await refused(() => put(url, dataset({ subject: `<${iri}>`, title: 'Gammel' }), { 'if-match': etag }), 412, 'precondition-failed', iri);
    await refused(() => put(url, dataset({ subject: `<${iri}>` }), { 'if-none-match': '*' }), 412, 'precondition-failed', iri);
  });

  it('indexes what a write says for search in its own transaction: found after 201 and 200, gone after 204', async () => {
    const found = async (q: string) => (await t.store.search({ q, limit: 50 })).hits.map((r) => r.iri);
    const created = await put('/datasets/soekbar', dataset({ title: 'Skipsregisteret' }));
    expect(created.statusCode).toBe(201);
    const iri = String(created.headers.location);
    expect(await found('skipsregister')).toEqual([iri]);
    const theme = await t.store.search({
      q: 'skipsregister',
      filters: { theme: ['http://publications.europa.eu/resource/authority/data-theme/ECON'] },
      limit: 5,
    });
    expect(theme.total).toBe(1);
    await put('/datasets/soekbar', dataset({ subject: `<${iri}>`, title: 'Fartøyregisteret' }), { 'if-match': String(created.headers.etag) });
    expect(await found('skipsregister')).toEqual([]);
    expect(await found('fartøy')).toEqual([iri]);
    expect((await send('DELETE', '/datasets/soekbar')).statusCode).toBe(204);
    expect(await found('fartøy')).toEqual([]);
  });

  it('creates with PUT at a chosen id, and a blank root takes that URL as its IRI', async () => {
    const response = await put('/datasets/aksjeeiere-2024', dataset());
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe(`${TEST_BASE}/datasets/aksjeeiere-2024`);
    expect((await t.app.inject('/datasets/aksjeeiere-2024')).statusCode).toBe(200);
  });

  it('deletes with 204, then answers 404 and keeps a tombstone with its sequence number', async () => {
    const created = await post(dataset());
    const iri = String(created.headers.location);
    const url = iri.slice(TEST_BASE.length);
    const deleted = await send('DELETE', url);
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject(url)).statusCode).toBe(404);
    const tombstone = (await t.store.tombstones()).find((x) => x.iri === iri);
    expect(tombstone?.seq).toBe((await t.store.state()).lastSeq);
    await refused(() => send('DELETE', url), 404, 'not-found');
  });

  it('takes If-Match as a list of ETags, and If-Match: * only for a record that exists', async () => {
    const created = await post(dataset());
    const iri = String(created.headers.location);
    const url = iri.slice(TEST_BASE.length);
    const listed = await put(url, dataset({ subject: `<${iri}>` }), { 'if-match': `W/"stale-ttl", ${created.headers.etag}` });
    expect(listed.statusCode).toBe(200);
    expect((await put(url, dataset({ subject: `<${iri}>` }), { 'if-match': '*' })).statusCode).toBe(200);
    await refused(() => put('/datasets/not-there-yet', dataset(), { 'if-match': '*' }), 412, 'precondition-failed');
  });

  it('refuses to turn a record of one kind into another with 409', async () => {
    const iri = `${TEST_BASE}/services/registrere-foretak`;
    const record = await t.store.getByIri(iri);
    expect(record?.kind).toBe('service');
    const asDataset = await refused(
      () => put(`/datasets/x`, dataset({ subject: `<${iri}>` }), { authorization: `Bearer ${admin}` }),
      400,
      'invalid-request',
      iri,
    );
    expect(asDataset.json().detail).toMatch(/served at/);
    const hashed = 'https://data.brreg.no/services/a-service';
    await t.store.put({ ...record!, iri: hashed, id: 'someservice', organisation: BRREG });
    const hashedId = (await t.store.getByIri(hashed))!;
    const { recordId } = await import('../../src/catalog/record-ids.js');
    const { kindInfo } = await import('../../src/core/kinds.js');
    const datasetId = recordId(hashed, kindInfo('dataset'), TEST_BASE);
    await refused(() => put(`/datasets/${datasetId}`, dataset({ subject: `<${hashed}>` })), 409, 'conflict', hashed);
    expect(hashedId.kind).toBe('service');
  });

  it('returns the warnings of an accepted record', async () => {
    const response = await post(dataset());
    expect(response.json().validation.counts.warnings).toBeGreaterThan(0);
    expect(response.json().validation.records[0].results.every((r: { severity: string }) => r.severity !== 'Violation')).toBe(true);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match win', async () => {
    const created = await post(dataset());
    const iri = String(created.headers.location);
    const url = iri.slice(TEST_BASE.length);
    const etag = String(created.headers.etag);
    const results = await Promise.all(['Første', 'Andre'].map((title) => put(url, dataset({ subject: `<${iri}>`, title }), { 'if-match': etag })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
  });

  it('lets an admin key write any organisation, and a service go to /services', async () => {
    const response = await post(dataset({ org: DIGDIR }), { authorization: `Bearer ${admin}` });
    expect(response.statusCode).toBe(201);
    const viaHeader = await post(dataset({ org: DIGDIR }), { authorization: '', 'x-api-key': digdir });
    expect(viaHeader.statusCode).toBe(201);
  });
});

describe('refused writes change nothing', () => {
  it('400 rdf-syntax with line and column', async () => {
    const response = await refused(() => post('@prefix dct: <http://purl.org/dc/terms/> .\n<x> dct:title "a" "b" .'), 400, 'rdf-syntax');
    expect(response.json()).toMatchObject({ line: 2 });
  });

  it('400 for a record of another kind, for several records, for stray triples', async () => {
    const service = `@prefix cpsv: <http://purl.org/vocab/cpsv#> . [] a cpsv:PublicService .`;
    expect((await refused(() => post(service), 400, 'invalid-request')).json().detail).toMatch(/\/services/);
    const two = dataset() + `\n<https://ex/second> a <http://www.w3.org/ns/dcat#Dataset> .`;
    expect((await refused(() => post(two), 400, 'invalid-request')).json().detail).toMatch(/2 records/);
    const stray = dataset({ extra: '<https://ex/unrelated> <http://purl.org/dc/terms/title> "x" .' });
    expect((await refused(() => post(stray), 400, 'invalid-request')).json().detail).toMatch(/not part of/);
    await refused(() => post(''), 400, 'invalid-request');
  });

  it('400 when the body names another record than the URL', async () => {
    await refused(() => put('/datasets/one', dataset({ subject: `<${TEST_BASE}/datasets/two>` })), 400, 'invalid-request');
  });

  it('401 without a credential and with an unknown one', async () => {
    const response = await refused(() => post(dataset(), { authorization: '' }), 401, 'unauthorized');
    expect(response.json().detail).toMatch(/Bearer/);
    await refused(() => post(dataset(), { authorization: 'Bearer kat_not-a-real-key' }), 401, 'unauthorized');
    await refused(() => send('DELETE', '/datasets/enhetsregisteret', undefined, { authorization: '' }), 401, 'unauthorized');
  });

  it('403 for another organisation, on create, replace and delete', async () => {
    await refused(() => post(dataset({ org: DIGDIR })), 403, 'forbidden');
    const theirs = await post(dataset({ org: DIGDIR }), { authorization: `Bearer ${digdir}` });
    const iri = String(theirs.headers.location);
    const url = iri.slice(TEST_BASE.length);
    await refused(() => put(url, dataset({ subject: `<${iri}>` })), 403, 'forbidden', iri);
    await refused(() => send('DELETE', url), 403, 'forbidden', iri);
  });

  it('415 for a body that is not RDF', async () => {
    await refused(() => post('{"title": "x"}', { 'content-type': 'application/pdf' }), 415, 'unsupported-media-type');
  });

  it('422 with the report for a violation', async () => {
    const response = await refused(() => post(dataset({ title: null }), { 'accept-language': 'en' }), 422, 'shacl-violation');
    expect(response.json().violations[0]).toMatchObject({ path: 'http://purl.org/dc/terms/title', severity: 'Violation' });
    expect(response.json().violations[0].message).toMatch(/title/);
  });

  it('400 for JSON-LD nested deeper than allowed', async () => {
    let deep: unknown = { '@value': 'x' };
    for (let i = 0; i < 40; i++) deep = { 'http://ex/p': deep };
    const body = JSON.stringify({ '@id': 'http://ex/a', 'http://ex/p': deep });
    await refused(() => post(body, { 'content-type': 'application/ld+json' }), 400, 'invalid-request');
  });
});

describe('input bounds', () => {
  let small: TestApp;
  let key: string;
  beforeAll(async () => {
    small = await buildTestApp(join(FIXTURES, 'http'), {
      env: { BODY_LIMIT: '4096', MAX_TRIPLES: '20', MAX_LITERAL_LENGTH: '200', WRITE_RATE_LIMIT: '3' },
    });
    key = (await createApiKey(small.store, BRREG)).key;
  });
  afterAll(() => small.close());
  const postSmall = (body: string) =>
    small.app.inject({ method: 'POST', url: '/datasets', payload: body, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` } });

  it('413 for a body over BODY_LIMIT, too many triples, or a literal over MAX_LITERAL_LENGTH', async () => {
    const before = await small.store.state();
    const big = await postSmall(dataset({ extra: `# ${'x'.repeat(5000)}` }));
    expect(big.statusCode).toBe(413);
    expect(big.json().type).toBe('urn:katalog:problem:payload-too-large');
    const many = await postSmall(dataset({ extra: Array.from({ length: 15 }, (_, i) => `<https://ex/n${i}> <https://ex/p> "${i}" .`).join('\n') }));
    expect(many.statusCode).toBe(413);
    expect(many.json().detail).toMatch(/triples/);
    const long = await postSmall(dataset({ title: 'y'.repeat(300) }));
    expect(long.statusCode).toBe(413);
    expect(long.json().detail).toMatch(/characters/);
    expect(await small.store.state()).toEqual(before);
  });

  it('429 with Retry-After past the write rate limit, counted per key across every write route', async () => {
    key = (await createApiKey(small.store, BRREG)).key;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last =
        i % 2 === 0
          ? await postSmall(dataset())
          : await small.app.inject({
              method: 'PUT',
              url: `/services/s${i}`,
              payload: dataset(),
              headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
            });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(last!.statusCode).toBe(429);
    expect(last!.json().type).toBe('urn:katalog:problem:too-many-requests');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
