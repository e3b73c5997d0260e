import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack } from '../helpers/graphs.js';
import { VALIDATION_FIXTURES } from '../helpers/validation.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
});
afterAll(() => t.close());

const fixture = (profile: string, name: string) => readFileSync(join(VALIDATION_FIXTURES, profile, name), 'utf8');
const validate = (body: string | Buffer, headers: Record<string, string> = {}, query = '') =>
  t.app.inject({ method: 'POST', url: `/validate${query}`, payload: body, headers: { 'content-type': 'text/turtle', ...headers } });

/** Nothing a validation does may change the store. */
async function storeUnchanged<T>(action: () => Promise<T>): Promise<T> {
  const before = await t.store.state();
  const result = await action();
  expect(await t.store.state()).toEqual(before);
  return result;
}

describe('POST /validate', () => {
  it('answers 200 with warnings for a conforming dataset, in Norwegian by default', async () => {
    const response = await storeUnchanged(() => validate(fixture('dcat-ap-no', 'valid-minimal-dataset.ttl')));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const report = response.json();
    expect(report).toMatchObject({ conforms: true, language: 'nb', counts: { violations: 0 } });
    expect(report.counts.warnings).toBeGreaterThan(0);
    expect(report.records[0]).toMatchObject({ record: 'https://katalog.example/datasets/minimal', kind: 'dataset', profile: 'dcat-ap-no' });
    expect(report.records[0].results[0].message).toMatch(/mangler/);
  });

  it('answers 422 problem+json naming focus node, path, value and rule, in English when asked', async () => {
    const response = await storeUnchanged(() => validate(fixture('dcat-ap-no', 'invalid-made-up-file-type.ttl'), { 'accept-language': 'en-GB, nb;q=0.5' }));
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ type: 'urn:katalog:problem:shacl-violation', status: 422, conforms: false, language: 'en' });
    expect(problem.violations).toHaveLength(1);
    expect(problem.violations[0]).toMatchObject({
      path: 'http://purl.org/dc/terms/format',
      value: 'http://publications.europa.eu/resource/authority/file-type/CSVX',
      severity: 'Violation',
      constraint: 'sh:NodeConstraintComponent',
    });
    expect(problem.violations[0].message).toMatch(/File type/);
    expect(problem.violations[0].message).toMatch(/file-type\/CSV>/);
  });

  it('names the request as the instance of a 422 only when its URL is short, as every problem does', async () => {
    const body = fixture('dcat-ap-no', 'invalid-made-up-file-type.ttl');
    expect((await validate(body, {}, '?profile=dcat-ap-no')).json().instance).toBe('/validate?profile=dcat-ap-no');
    const long = await validate(body, {}, `?profile=dcat-ap-no&note=${'x'.repeat(300)}`);
    expect(long.statusCode).toBe(422);
    expect(long.json()).not.toHaveProperty('instance');
  });

  it('serves the report as an RDF sh:ValidationReport by negotiation, with both languages', async () => {
    const response = await validate(fixture('dcat-ap-no', 'invalid-missing-title.ttl'), { accept: 'text/turtle' });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^text\/turtle/);
    const graph = await parseBack(response.body, 'turtle');
    const sh = 'http://www.w3.org/ns/shacl#';
    expect(graph.some((q) => q.predicate.value === sh + 'conforms' && q.object.value === 'false')).toBe(true);
    const messages = graph.filter((q) => q.predicate.value === sh + 'resultMessage');
    expect(new Set(messages.map((q) => (q.object as { language: string }).language))).toEqual(new Set(['nb', 'en']));
    expect(graph.some((q) => q.predicate.value === sh + 'resultPath' && q.object.value === 'http://purl.org/dc/terms/title')).toBe(true);
  });

  it('uses the profile asked for, and the default profile of each kind otherwise', async () => {
    const service = fixture('cpsv-ap-no', 'valid-minimal-public-service.ttl');
    expect((await validate(service)).json().records[0].profile).toBe('cpsv-ap-no');
    const asDcatAp = await validate(fixture('dcat-ap-no', 'valid-full-dataset.ttl'), {}, '?profile=dcat-ap');
    expect(asDcatAp.json().records[0].profile).toBe('dcat-ap');
  });

  it('reads every RDF syntax by Content-Type', async () => {
    const jsonld = JSON.stringify({
      '@context': { dct: 'http://purl.org/dc/terms/', dcat: 'http://www.w3.org/ns/dcat#' },
      '@id': 'https://katalog.example/datasets/j',
      '@type': 'dcat:Dataset',
      'dct:description': { '@value': 'Uten tittel', '@language': 'nb' },
    });
    const response = await validate(jsonld, { 'content-type': 'application/ld+json' });
    expect(response.statusCode).toBe(422);
    expect(response.json().violations.some((v: { path: string }) => v.path === 'http://purl.org/dc/terms/title')).toBe(true);
  });
});

describe('POST /validate refuses bad input with a problem and stores nothing', () => {
  const cases: Array<[string, () => Promise<{ statusCode: number; json: () => { type: string } }>, number, string]> = [
    ['an empty body', () => validate(''), 400, 'invalid-request'],
    ['10 MB of garbage', () => validate(Buffer.alloc(10 * 1024 * 1024, 'x@#')), 400, 'rdf-syntax'],
    ['a body over the size limit', () => validate(Buffer.alloc(11 * 1024 * 1024, ' ')), 413, 'payload-too-large'],
    ['a Content-Type that is not RDF', () => validate('<x> <y> <z> .', { 'content-type': 'image/png' }), 415, 'unsupported-media-type'],
    ['an unknown profile', () => validate(fixture('dcat-ap-no', 'valid-minimal-dataset.ttl'), {}, '?profile=no-such-profile'), 404, 'not-found'],
    [
      'a profile that covers none of the records',
      () => validate(fixture('dcat-ap-no', 'valid-minimal-dataset.ttl'), {}, '?profile=cpsv-ap-no'),
      400,
      'invalid-request',
    ],
    ['a Turtle syntax error', () => validate('@prefix dct: <http://purl.org/dc/terms/> .\n<http://ex/a> dct:title "x" "y" .'), 400, 'rdf-syntax'],
    [
      'JSON-LD with a remote @context',
      () => validate('{"@context": "https://schema.org/", "@id": "http://ex/a", "name": "x"}', { 'content-type': 'application/ld+json' }),
      400,
      'invalid-request',
    ],
    [
      'RDF/XML with an entity declaration',
      () =>
        validate(
          '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e "expanded">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://ex/a"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>',
          { 'content-type': 'application/rdf+xml' },
        ),
      400,
      'rdf-syntax',
    ],
  ];
  for (const [what, send, status, kind] of cases) {
    it(`answers ${status} ${kind} for ${what}`, async () => {
      const response = await storeUnchanged(send);
      expect(response.statusCode).toBe(status);
      expect(response.json().type).toBe(`urn:katalog:problem:${kind}`);
    });
  }

  it('names the line and column of a syntax error', async () => {
    const response = await validate('@prefix dct: <http://purl.org/dc/terms/> .\n\n<http://ex/a> dct:title "x" "y" .');
    expect(response.json()).toMatchObject({ line: 3 });
    expect(response.json().column).toBeGreaterThan(0);
  });
});

describe('POST /validate validates every targeted node, as SHACL does', () => {
  const P = '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n';

  it('validates a distribution that no record reaches, in a group of its own, and refuses it with 422 when it violates', async () => {
    const r = await storeUnchanged(() => validate(`${P}<http://ex/dist> a dcat:Distribution ; dct:title "Fil"@nb .`));
    expect(r.statusCode, r.body).toBe(422);
    const report = r.json();
    expect(report.type).toBe('urn:katalog:problem:shacl-violation');
    expect(report.records).toEqual([]);
    expect(report.unattached).toHaveLength(1);
    expect(report.unattached[0]).toMatchObject({
      node: 'http://ex/dist',
      types: ['http://www.w3.org/ns/dcat#Distribution'],
      profile: 'dcat-ap-no',
      conforms: false,
    });
    // dcat:accessURL is mandatory on a distribution.
    expect(report.unattached[0].results).toContainEqual(
      expect.objectContaining({ focusNode: 'http://ex/dist', path: 'http://www.w3.org/ns/dcat#accessURL', severity: 'Violation' }),
    );
    expect(report.violations).toContainEqual(expect.objectContaining({ node: 'http://ex/dist', path: 'http://www.w3.org/ns/dcat#accessURL' }));
    expect(report.counts.violations).toBeGreaterThan(0);
  });

  it('answers 200 for a conforming distribution on its own, and keeps records and stray nodes apart', async () => {
    const dataset = fixture('dcat-ap-no', 'valid-minimal-dataset.ttl');
    const r = await validate(
      `${dataset}\n<http://ex/dist> a <http://www.w3.org/ns/dcat#Distribution> ; <http://www.w3.org/ns/dcat#accessURL> <https://ex/file.csv> .`,
    );
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json();
    expect(report.records.length).toBeGreaterThan(0);
    expect(report.unattached.map((n: { node: string }) => n.node)).toEqual(['http://ex/dist']);
    expect(report.unattached[0].conforms).toBe(true);
  });

  it('answers 200, conforming, with one Info result when nothing in the document is targeted', async () => {
    const r = await validate('<http://ex/a> <http://ex/b> "c" .');
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json();
    expect(report.conforms).toBe(true);
    expect(report.counts).toEqual({ violations: 0, warnings: 0, info: 1 });
    expect(report.unattached).toHaveLength(1);
    expect(report.unattached[0].results).toEqual([
      expect.objectContaining({ focusNode: 'http://ex/a', severity: 'Info', constraint: 'urn:katalog:note:no-focus-node' }),
    ]);
    expect(report.unattached[0].results[0].message).toMatch(/dcat:|dcat#|Dataset/);
  });

  it("gives the stray nodes' results in the RDF report too", async () => {
    const r = await validate(`${P}<http://ex/dist> a dcat:Distribution .`, { accept: 'application/n-triples' });
    expect(r.statusCode).toBe(422);
    const quads = await parseBack(r.body, 'ntriples');
    const focus = quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/shacl#focusNode').map((q) => q.object.value);
    expect(focus).toContain('http://ex/dist');
  });
});

describe('profiles and vocabularies', () => {
  it('lists the five profiles with their kinds and defaults', async () => {
    const profiles = (await t.app.inject('/profiles')).json() as Array<{ id: string; defaultFor: string[] }>;
    expect(profiles.map((p) => p.id).sort()).toEqual(['cpsv-ap', 'cpsv-ap-no', 'dcat-ap', 'dcat-ap-no', 'dcat-ap-no-3']);
    expect(profiles.find((p) => p.id === 'dcat-ap-no')!.defaultFor).toContain('dataset');
  });

  it('serves a profile as JSON metadata or as its SHACL shapes in RDF', async () => {
    const json = await t.app.inject({ url: '/profiles/cpsv-ap-no', headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ id: 'cpsv-ap-no', kinds: ['service', 'event'] });
    const turtle = await t.app.inject({ url: '/profiles/cpsv-ap-no' });
    expect(turtle.headers['content-type']).toMatch(/^text\/turtle/);
    const graph = await parseBack(turtle.body, 'turtle');
    expect(graph.some((q) => q.object.value === 'http://www.w3.org/ns/shacl#NodeShape')).toBe(true);
    expect((await t.app.inject('/profiles/nope')).statusCode).toBe(404);
  });

  it('lists the vocabularies and serves each as SKOS', async () => {
    const list = (await t.app.inject('/vocabularies')).json() as Array<{ id: string; concepts: number }>;
    expect(list.find((v) => v.id === 'data-theme')?.concepts).toBe(14);
    const rdf = await t.app.inject({ url: '/vocabularies/data-theme', headers: { accept: 'application/n-triples' } });
    const graph = await parseBack(rdf.body, 'ntriples');
    expect(graph.filter((q) => q.predicate.value === 'http://www.w3.org/2004/02/skos/core#inScheme')).toHaveLength(14);
    const notFound = await t.app.inject('/vocabularies/nope');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json().type).toBe('urn:katalog:problem:not-found');
  });
});

describe('POST /validate edge cases', () => {
  it('lists the accepted media types in the 415 for a body that is not RDF, and for a missing Content-Type', async () => {
    for (const headers of [{ 'content-type': 'application/pdf' }, { 'content-type': '' }]) {
      const response = await t.app.inject({ method: 'POST', url: '/validate', payload: 'x', headers });
      expect(response.statusCode).toBe(415);
      expect(response.json().detail).toContain('text/turtle');
    }
  });

  it('accepts the older aliases application/turtle and text/x-nquads', async () => {
    const body = fixture('dcat-ap-no', 'valid-minimal-dataset.ttl');
    expect((await validate(body, { 'content-type': 'application/turtle' })).statusCode).toBe(200);
  });

  it('never answers 304 to a POST, even with a matching If-None-Match', async () => {
    const body = fixture('dcat-ap-no', 'valid-minimal-dataset.ttl');
    const first = await validate(body, { accept: 'text/turtle' });
    const again = await validate(body, { accept: 'text/turtle', 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(200);
  });

  it('lists what it offers in a 406', async () => {
    const response = await validate(fixture('dcat-ap-no', 'valid-minimal-dataset.ttl'), { accept: 'image/png' });
    expect(response.statusCode).toBe(406);
    expect(response.json().offered).toContain('application/json');
  });
});
