import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, TEST_BASE } from '../helpers/graphs.js';

// The fixture catalogue is Brreg's; Digdir's key plays the other organisation.
const BRREG = '974760673';
const DIGDIR = '991825827';
const orgIri = (org: string) => `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${org}`;
const BRREG_DATASET = `${TEST_BASE}/datasets/enhetsregisteret`;
const BRREG_CATALOG = `${TEST_BASE}/catalogs/brreg`;
const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix cv: <http://data.europa.eu/m8g/> . @prefix cpsv: <http://purl.org/vocab/cpsv#> .`;

function dataset(options: { subject?: string; org?: string; publisher?: string; extra?: string; more?: string; agent?: boolean } = {}): string {
  const org = options.org ?? DIGDIR;
  return `${PREFIXES}
${options.subject ?? '[]'} a dcat:Dataset ; dct:identifier "d" ; dct:title "Tittel"@nb ; dct:description "Beskrivelse."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
  dct:publisher <${options.publisher ?? orgIri(org)}> ${options.extra ?? ''} .
${options.agent === false ? '' : `<${orgIri(org)}> a foaf:Agent ; dct:identifier "${org}" ; foaf:name "Organisasjon ${org}"@nb .`}
${options.more ?? ''}`;
}

let t: TestApp;
const keys: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  keys[BRREG] = (await createApiKey(t.store, BRREG)).key;
  keys[DIGDIR] = (await createApiKey(t.store, DIGDIR)).key;
});
afterAll(() => t.close());

const write = (method: 'POST' | 'PUT' | 'DELETE', url: string, body: string | undefined, org = DIGDIR) =>
  t.app.inject({ method, url, payload: body, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${keys[org]}` } });

/** Sends a write that must be refused, and proves nothing changed: the status, the type, the store, a watched record. */
async function refused(response: Promise<{ statusCode: number; json: () => { type: string; detail: string } }>, status: number, kind: string, names?: string) {
  const before = await t.store.state();
  const watched = await t.store.getByIri(BRREG_DATASET);
  const answer = await response;
  expect(answer.statusCode, JSON.stringify(answer.json())).toBe(status);
  expect(answer.json().type).toBe(`urn:katalog:problem:${kind}`);
  if (names) expect(answer.json().detail).toContain(names);
  expect(await t.store.state()).toEqual(before);
  expect((await t.store.getByIri(BRREG_DATASET))?.version).toBe(watched?.version);
}

describe("no organisation changes what is served about another's records", () => {
  it("refuses triples about another organisation's dataset, catalogue or organisation IRI with 403 naming it", async () => {
    await refused(
      write('POST', '/datasets', dataset({ extra: `; dct:relation <${BRREG_DATASET}>`, more: `<${BRREG_DATASET}> dct:title "INJECTED"@nb .` })),
      403,
      'forbidden',
      BRREG_DATASET,
    );
    await refused(
      write('POST', '/datasets', dataset({ extra: `; dct:isPartOf <${BRREG_CATALOG}>`, more: `<${BRREG_CATALOG}> dcat:dataset [] .` })),
      403,
      'forbidden',
      BRREG_CATALOG,
    );
    await refused(
      write('POST', '/datasets', dataset({ extra: `; dct:creator <${orgIri(BRREG)}>`, more: `<${orgIri(BRREG)}> foaf:name "evil"@nb .` })),
      403,
      'forbidden',
      orgIri(BRREG),
    );
    const served = await t.app.inject({ url: '/catalog?format=nt' });
    expect(served.body).not.toContain('INJECTED');
    expect(served.body).not.toContain('"evil"');
  });

  it('refuses a public service that names another organisation in any publisher-like property', async () => {
    const service = (extra: string) => `${PREFIXES}
[] a cpsv:PublicService ; dct:identifier "s" ; dct:title "Tjeneste"@nb ; dct:description "Beskrivelse."@nb ; ${extra} .`;
    for (const extra of [
      `dct:publisher <${orgIri(DIGDIR)}> ; cv:hasCompetentAuthority <${orgIri(BRREG)}>`,
      `cv:hasCompetentAuthority <${orgIri(DIGDIR)}>, <${orgIri(BRREG)}>`,
      `cv:hasCompetentAuthority <${orgIri(DIGDIR)}> ; cv:ownedBy <${orgIri(BRREG)}>`,
      `cv:hasCompetentAuthority <${orgIri(DIGDIR)}> ; cv:ownedBy [ foaf:name "Someone" ]`,
    ]) {
      await refused(write('POST', '/services', service(extra)), 403, 'forbidden');
    }
  });

  it('refuses a record that names no organisation at all, with 403 saying which to name', async () => {
    const anonymous = `${PREFIXES}\n[] a dcat:Dataset ; dct:identifier "d" ; dct:title "Tittel"@nb ; dct:description "Beskrivelse."@nb .`;
    await refused(write('POST', '/datasets', anonymous), 403, 'forbidden', orgIri(DIGDIR));
  });

  it('counts only the two organisation IRI forms, not any IRI that holds the number', async () => {
    for (const publisher of [`urn:evil:${DIGDIR}`, `https://data.brreg.no/enhetsregisteret/api/enheter/${BRREG}?x=${DIGDIR}`, `${orgIri(DIGDIR)}/`]) {
      await refused(write('POST', '/datasets', dataset({ publisher, agent: false })), 403, 'forbidden');
    }
    const accepted = await write('POST', '/datasets', dataset({ publisher: `https://data.brreg.no/enhetsregisteret/api/enheter/${DIGDIR}`, agent: false }));
    expect(accepted.statusCode, accepted.body).toBe(201);
  });

  it("refuses a catalogue listing another organisation's record, and the record's catalogue stays as it was", async () => {
    const catalogue = `${PREFIXES}
[] a dcat:Catalog ; dct:title "Digdirs katalog"@nb ; dct:description "Katalog."@nb ; dct:publisher <${orgIri(DIGDIR)}> ; dcat:dataset <${BRREG_DATASET}> .
<${orgIri(DIGDIR)}> a foaf:Agent ; dct:identifier "${DIGDIR}" ; foaf:name "Digdir"@nb .`;
    await refused(write('POST', '/catalogs', catalogue), 403, 'forbidden', BRREG_DATASET);
    expect((await t.store.getByIri(BRREG_DATASET))?.catalog).toBe(BRREG_CATALOG);
  });

  it("keeps a deleted record's IRI with its organisation", async () => {
    const iri = 'https://data.brreg.no/datasets/to-be-deleted';
    const created = await write('POST', '/datasets', dataset({ subject: `<${iri}>`, org: BRREG }), BRREG);
    expect(created.statusCode, created.body).toBe(201);
    const path = String(created.headers.location).slice(TEST_BASE.length);
    expect((await write('DELETE', path, undefined, BRREG)).statusCode).toBe(204);
    await refused(write('POST', '/datasets', dataset({ subject: `<${iri}>` })), 403, 'forbidden', iri);
    await refused(write('PUT', path, dataset({ subject: `<${iri}>` })), 403, 'forbidden', iri);
    expect((await write('PUT', path, dataset({ subject: `<${iri}>`, org: BRREG }), BRREG)).statusCode).toBe(201);
  });

  it('never lets a minted id take the id an outside IRI hashes to', async () => {
    const outside = 'https://data.digdir.no/datasets/hash-target';
    const hashId = createHash('sha256').update(outside).digest('hex').slice(0, 16);
    // A blank root PUT at the hash id would mint an IRI under this server with that id: refused.
    await refused(write('PUT', `/datasets/${hashId}`, dataset(), BRREG), 400, 'invalid-request');
    const created = await write('POST', '/datasets', dataset({ subject: `<${outside}>` }));
    expect(created.statusCode, created.body).toBe(201);
    expect(String(created.headers.location)).toBe(`${TEST_BASE}/datasets/${hashId}`);
  });
});

describe('what a served syntax cannot express is refused when written', () => {
  it.each([
    ['a literal with U+0001', `; dct:alternative "bell\\u0001"@nb`, 'XML'],
    ['a property XML cannot name', `; <http://x.test/p/1> "v"`, 'RDF/XML'],
    ['a lone surrogate', `; dct:alternative "half\\uD800"`, 'surrogate'],
    ['an IRI with a dot segment (RDF/XML readers would resolve it to another)', `; dcat:landingPage <https://x.test/a/../b>`, 'dot segments'],
  ])('refuses %s with 422 unrepresentable naming the value, storing nothing', async (_name, extra, says) => {
    const before = await t.store.state();
    const answer = await write('POST', '/datasets', dataset({ extra }));
    expect(await t.store.state()).toEqual(before);
    if (answer.statusCode === 400) return expect(answer.json().type).toBe('urn:katalog:problem:rdf-syntax');
    expect(answer.statusCode, answer.body).toBe(422);
    expect(answer.json().type).toBe('urn:katalog:problem:unrepresentable');
    expect(answer.json().detail).toContain(says);
  });

  it('keeps every whole catalogue whole in every syntax', async () => {
    for (const format of ['ttl', 'jsonld', 'nt', 'rdf', 'nq', 'trig'] as const) {
      const served = await t.app.inject({ url: `/catalog?format=${format}`, headers: { 'accept-encoding': 'identity' } });
      expect(served.statusCode).toBe(200);
      const id = { ttl: 'turtle', jsonld: 'jsonld', nt: 'ntriples', rdf: 'rdfxml', nq: 'nquads', trig: 'trig' }[format];
      expect((await parseBack(served.body, id as never)).length).toBeGreaterThan(10);
    }
  });
});

describe('reports of bounded size', () => {
  it('lists at most MAX_REPORT_RESULTS results and counts the rest in truncated', async () => {
    const body = `${PREFIXES}\n` + Array.from({ length: 300 }, (_, i) => `<http://x.test/d${i}> a dcat:Dataset .`).join('\n');
    const answer = await t.app.inject({ method: 'POST', url: '/validate', payload: body, headers: { 'content-type': 'text/turtle' } });
    expect(answer.statusCode).toBe(422);
    const report = answer.json();
    const listed = report.records.reduce((n: number, r: { results: unknown[] }) => n + r.results.length, 0);
    expect(listed).toBe(1000);
    expect(report.truncated).toBe(report.counts.violations + report.counts.warnings + report.counts.info - 1000);
    expect(report.truncated).toBeGreaterThan(0);
  });
});
