/**
 * JSON-LD is self-contained: on every route that answers RDF, the JSON-LD, read by jsonld.js with a
 * document loader that refuses every URL (a processor that fetches no remote context), is the same
 * graph as the route's Turtle (read by n3), in all three forms of JSON-LD 1.1's profile parameter:
 * compacted (the default), expanded and flattened.
 */
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { sameGraph } from '../helpers/graphs.js';

let t: TestApp;
let routes: Array<[string, () => { method?: 'GET' | 'POST'; url: string; payload?: string; headers?: Record<string, string> }]>;

const PROFILE = 'http://www.w3.org/ns/json-ld#';
const FORMS = ['compacted', 'expanded', 'flattened'] as const;

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  const first = async (kind: 'dataset' | 'catalog' | 'service' | 'event') => (await t.store.scan({ kind, limit: 1 })[Symbol.asyncIterator]().next()).value!;
  const [dataset, catalog, service, event] = [await first('dataset'), await first('catalog'), await first('service'), await first('event')];
  const invalid = '@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.test/d> a dcat:Dataset .';
  routes = [
    ['the root catalogue', () => ({ url: '/catalog' })],
    ['a page of the root catalogue', () => ({ url: '/catalog?pageSize=2' })],
    ['the catalogues', () => ({ url: '/catalogs' })],
    ['one catalogue', () => ({ url: `/catalogs/${catalog.id}` })],
    ['the datasets', () => ({ url: '/datasets' })],
    ['a search with words, a filter, facets and a next page', () => ({ url: '/search?q=register&kind=dataset&kind=data-service&pageSize=1' })],
    ['a search sorted by title', () => ({ url: '/search?sort=title&lang=en&pageSize=3' })],
    ['one dataset', () => ({ url: `/datasets/${dataset.id}` })],
    ['one service', () => ({ url: `/services/${service.id}` })],
    ['one event', () => ({ url: `/events/${event.id}` })],
    ['a validation report', () => ({ method: 'POST', url: '/validate', payload: invalid, headers: { 'content-type': 'text/turtle' } })],
    ["a profile's shapes", () => ({ url: '/profiles/dcat-ap-no' })],
    ['a vocabulary', () => ({ url: '/vocabularies/frequency' })],
  ];
});
afterAll(() => t.close());

/** jsonld.js with no network: every remote context is refused. */
const refusingLoader = async (url: string) => {
  throw new Error(`refused to load ${url}`);
};

async function read(body: string): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(JSON.parse(body), { format: 'application/n-quads', documentLoader: refusingLoader as never })) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads) as Quad[];
}

describe('self-contained JSON-LD on every route', () => {
  it('answers every route in every form as the same graph as its Turtle, with no remote context', async () => {
    for (const [name, request] of routes) {
      const turtle = await t.app.inject({ ...request(), headers: { ...request().headers, accept: 'text/turtle' } });
      expect([200, 422], name).toContain(turtle.statusCode);
      const expected = new Parser().parse(turtle.body) as Quad[];
      expect(expected.length, name).toBeGreaterThan(0);
      for (const form of FORMS) {
        const accept = form === 'compacted' ? 'application/ld+json' : `application/ld+json; profile="${PROFILE}${form}"`;
        const response = await t.app.inject({ ...request(), headers: { ...request().headers, accept } });
        expect(response.statusCode, `${name}, ${form}`).toBe(turtle.statusCode);
        expect(response.headers['content-type'], `${name}, ${form}`).toMatch(/^application\/ld\+json/);
        if (form !== 'compacted') expect(response.headers['content-type']).toContain(`profile="${PROFILE}${form}"`);
        expect(sameGraph(await read(response.body), expected), `${name}, ${form}: not the Turtle's graph`).toBe(true);
      }
    }
  });

  it('writes each form as JSON-LD 1.1 describes it', async () => {
    const get = async (form: string) =>
      (await t.app.inject({ url: routes[5]![1]().url, headers: { accept: `application/ld+json;profile="${PROFILE}${form}"` } })).json();
    const compacted = (await t.app.inject({ url: routes[5]![1]().url, headers: { accept: 'application/ld+json' } })).json();
    expect(typeof compacted['@context']).toBe('object');
    expect(Object.keys(compacted['@context']).length).toBeLessThan(60);
    const expanded = await get('expanded');
    expect(Array.isArray(expanded)).toBe(true);
    expect(expanded.every((n: Record<string, unknown>) => Object.keys(n).every((k) => k.startsWith('@') || k.startsWith('http')))).toBe(true);
    const flattened = await get('flattened');
    expect(typeof flattened['@context']).toBe('object');
    const embedded = (flattened['@graph'] as Array<Record<string, unknown>>).some((n) =>
      Object.values(n).some((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !('@id' in v) && !('@value' in v)),
    );
    expect(embedded, 'a flattened node embeds another').toBe(false);
  });

  it('picks the first form it knows of several profiles, and ignores profiles of other types', async () => {
    const url = routes[5]![1]().url;
    const several = await t.app.inject({
      url,
      headers: { accept: `application/ld+json; profile="http://example.org/other ${PROFILE}expanded ${PROFILE}compacted"` },
    });
    expect(several.statusCode).toBe(200);
    expect(Array.isArray(several.json())).toBe(true);
    const other = await t.app.inject({ url, headers: { accept: 'text/turtle; profile="http://example.org/x", application/ld+json;q=0.5' } });
    expect(other.statusCode).toBe(200);
    expect(other.headers['content-type']).toMatch(/^text\/turtle/);
  });

  it('reads a hostile Accept (thousands of profile parameters, unclosed quotes) and answers normally', async () => {
    const url = routes[5]![1]().url;
    const many = Array.from({ length: 1_500 }, (_, i) => `application/ld+json;profile="http://x.test/${i}`).join(',');
    const response = await t.app.inject({ url, headers: { accept: `${many}, text/turtle;q=0.1` } });
    expect([200, 406]).toContain(response.statusCode);
    expect(response.headers['content-type']).toMatch(/^(text\/turtle|application\/ld\+json|application\/problem\+json)/);
  });

  it('gives each form its own ETag', async () => {
    const url = routes[5]![1]().url;
    const tags = new Set<string>();
    for (const form of FORMS)
      tags.add(String((await t.app.inject({ url, headers: { accept: `application/ld+json; profile="${PROFILE}${form}"` } })).headers.etag));
    expect(tags.size).toBe(3);
  });
});
