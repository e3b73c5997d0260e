/**
 * The JSON the server answers with matches openapi.yaml: each response body below is validated
 * (Ajv, with the contract's own schemas) against the schema the contract gives for its path, method,
 * status and media type; and the contract's table of problem kinds is exactly the server's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventOf } from '../../src/http/live-feed.js';
import { PROBLEMS } from '../../src/http/problem.js';
import { projectFile } from '../../src/project-files.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE } from '../helpers/graphs.js';

type Node = Record<string, unknown>;
const contract = parse(readFileSync(projectFile('openapi.yaml'), 'utf8')) as { info: { description: string }; paths: Record<string, Node>; components: Node };
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its default export arrives as the module under Node's ESM.
(formats as unknown as { default: (a: Ajv) => void }).default(ajv);
ajv.addSchema(contract as never, 'openapi.json');

/** Follows `$ref`s within the contract. */
function resolve(node: Node): Node {
  let current = node;
  while (typeof current.$ref === 'string') {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<Node>((at, key) => at[key] as Node, contract as unknown as Node);
  }
  return current;
}

/** The contract's path template for a concrete path (`/profiles/dcat-ap` -> `/profiles/{id}`). */
function template(path: string): string {
  const bare = path.split('?')[0]!;
  const found = Object.keys(contract.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
  if (!found) throw new Error(`openapi.yaml has no path for ${bare}`);
  return found;
}

/** The JSON pointer of the schema the contract gives for this answer. */
function schemaPointer(method: string, path: string, status: number, mediaType: string): string {
  const t = template(path);
  const responses = (contract.paths[t]![method.toLowerCase()] as Node).responses as Node;
  const key = String(status) in responses ? String(status) : 'default';
  const response = responses[key] as Node;
  if (!response) throw new Error(`${method} ${t}: no ${status} (and no default) in openapi.yaml`);
  const ref =
    typeof response.$ref === 'string'
      ? (response.$ref as string).slice(1)
      : `/paths/${t.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${key}`;
  const content = resolve(response).content as Node;
  if (!content?.[mediaType]) throw new Error(`${method} ${t} ${key}: no ${mediaType} content in openapi.yaml`);
  return `openapi.json#${ref}/content/${mediaType.replace(/~/g, '~0').replace(/\//g, '~1')}/schema`;
}

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
});
afterAll(() => t.close());

const invalidDataset = '@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.test/d> a dcat:Dataset .';
const validDataset = readFileSync(join(FIXTURES, 'validation', 'dcat-ap-no', 'valid-minimal-dataset.ttl'), 'utf8');
const turtle = { 'content-type': 'text/turtle', accept: 'application/json' };
const jsonLd = { accept: 'application/ld+json' };

const CASES: Array<[string, { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: string; headers?: Record<string, string> }, number]> = [
  ['the profiles', { url: '/profiles' }, 200],
  ['one profile as JSON', { url: '/profiles/dcat-ap-no', headers: { accept: 'application/json' } }, 200],
  ['the vocabularies', { url: '/vocabularies' }, 200],
  ['one vocabulary as JSON', { url: '/vocabularies/frequency', headers: { accept: 'application/json' } }, 200],
  ['a conforming validation report', { method: 'POST', url: '/validate', payload: validDataset, headers: turtle }, 200],
  ['a refusing validation report', { method: 'POST', url: '/validate', payload: invalidDataset, headers: turtle }, 422],
  ['a syntax error', { method: 'POST', url: '/validate', payload: '<a> <b> .', headers: turtle }, 400],
  ['an unknown profile', { method: 'POST', url: '/validate?profile=nope', payload: validDataset, headers: turtle }, 404],
  ['an unsupported body type', { method: 'POST', url: '/validate', payload: 'x', headers: { 'content-type': 'image/png' } }, 415],
  ['an unacceptable Accept', { url: '/datasets', headers: { accept: 'image/png' } }, 406],
  ['a record that is not there', { url: '/datasets/nothing-here' }, 404],
  ['a write without a key', { method: 'POST', url: '/datasets', payload: validDataset, headers: { 'content-type': 'text/turtle' } }, 401],
  ['liveness', { url: '/health/live' }, 200],
  // The query API: `enhet` finds "Enhetsregisteret" and the records that mention it (a word finds the words it begins).
  ['a search as compacted JSON-LD', { url: '/search?q=enhet', headers: jsonLd }, 200],
  ['a page of the datasets as compacted JSON-LD', { url: '/datasets?pageSize=1', headers: jsonLd }, 200],
  ['a search with a parameter it does not take', { url: '/search?thema=ECON' }, 400],
  ['a search with pageSize=0', { url: '/search?pageSize=0' }, 400],
  ['a search with a rating that is not one', { url: '/search?quality=great' }, 400],
  ["a dataset's quality report as JSON", { url: '/datasets/enhetsregisteret/quality', headers: { accept: 'application/json' } }, 200],
  ['the quality of a record that is not a dataset', { url: '/datasets/nothing-here/quality', headers: { accept: 'application/json' } }, 404],
  ['a search with a forged cursor', { url: '/search?cursor=abc' }, 400],
  ['a search with a time it cannot read', { url: '/search?modifiedSince=yesterday' }, 400],
  ['readiness', { url: '/health/ready' }, 200],
  // The change feed: expanded JSON-LD, and its problems.
  ['the change feed as expanded JSON-LD', { url: '/feed', headers: jsonLd }, 200],
  ['a page of the change feed as expanded JSON-LD', { url: '/feed/pages/0', headers: jsonLd }, 200],
  ["a page of a catalogue's feed as expanded JSON-LD", { url: '/catalogs/brreg/feed/pages/0?format=jsonld' }, 200],
  ['one activity as expanded JSON-LD', { url: '/feed/activities/1', headers: jsonLd }, 200],
  ['a feed page beyond the latest change', { url: '/feed/pages/99999999999' }, 404],
  ['a feed page named by no change number', { url: '/feed/pages/0012' }, 400],
  ['a feed in a triple syntax', { url: '/feed/pages/0?format=ttl' }, 400],
  ['a feed asked for in Turtle', { url: '/feed', headers: { accept: 'text/turtle' } }, 406],
  ['the feed of a catalogue that is not there', { url: '/catalogs/nope/feed' }, 404],
  ['a live feed resumed from something that is not a change number', { url: '/feed/live', headers: { 'last-event-id': 'abc' } }, 400],
  ['a live feed resumed beyond the latest change', { url: '/feed/live?after=99999999999' }, 400],
  ['an Atom feed in a language it is not written in', { url: '/feed.atom?lang=de' }, 400],
];

describe('JSON answers match openapi.yaml', () => {
  it.each(CASES)('%s', async (_name, request, status) => {
    const response = await t.app.inject(request);
    expect(response.statusCode).toBe(status);
    const mediaType = String(response.headers['content-type']).split(';')[0]!;
    expect(mediaType).toMatch(/json$/);
    const validate = ajv.getSchema(schemaPointer(request.method ?? 'GET', request.url, status, mediaType));
    expect(validate, 'no schema').toBeDefined();
    const ok = validate!(response.json());
    expect(ok, JSON.stringify(validate!.errors?.slice(0, 5), null, 1)).toBe(true);
  });

  it('would refuse bodies that do not match (the schemas are not vacuous)', () => {
    const problem = ajv.getSchema(schemaPointer('GET', '/datasets/x', 404, 'application/problem+json'))!;
    expect(problem({ type: 'urn:katalog:problem:not-found', title: 'Not found', status: 404 })).toBe(true);
    expect(problem({ title: 'Not found', status: 404 })).toBe(false);
    expect(problem({ type: 'urn:katalog:problem:not-found', title: 'Not found', status: 'x' })).toBe(false);
    const profiles = ajv.getSchema(schemaPointer('GET', '/profiles', 200, 'application/json'))!;
    expect(profiles([{ id: 5 }])).toBe(false);
    const report = ajv.getSchema(schemaPointer('POST', '/validate', 200, 'application/json'))!;
    expect(report({ conforms: 'yes' })).toBe(false);
    // The contract's own example of a search page is one its schema accepts, and breaking it is refused.
    const page = ajv.getSchema(schemaPointer('GET', '/search', 200, 'application/ld+json'))!;
    const searchPage = (contract.components.responses as Record<string, Node>).SearchPage!;
    const example = (searchPage.content as Record<string, Node>)['application/ld+json']!.example as Node;
    expect(page(example), JSON.stringify(page.errors?.slice(0, 5), null, 1)).toBe(true);
    const member = (example.member as Node[])[0]!;
    expect(page({ ...example, member: [{ ...member, url: undefined }] })).toBe(false);
    expect(page({ ...example, totalItems: '3' })).toBe(false);
    expect(page({ ...example, facet: [{ field: 'kind', values: [{ value: 'dataset', count: 1, labels: {} }] }] })).toBe(false);
    expect(page({ ...example, view: { ...(example.view as Node), itemsPerPage: 0 } })).toBe(false);
  });

  it('checks search answers with something in them (a hit, a next page, the accepted parameters)', async () => {
    const search = (await t.app.inject({ url: '/search?q=enhet', headers: jsonLd })).json();
    expect(search.totalItems).toBeGreaterThan(0);
    expect(search.member.map((m: Node) => m.url)).toContain('http://katalog.test/datasets/enhetsregisteret');
    expect(search.facet.map((f: Node) => f.field)).toContain('kind');
    const datasets = (await t.app.inject({ url: '/datasets?pageSize=1', headers: jsonLd })).json();
    expect(datasets.member).toHaveLength(1);
    expect(datasets.view.next).toMatch(/[?&]cursor=/);
    expect(datasets.facet.map((f: Node) => f.field)).not.toContain('kind');
    const unknown = (await t.app.inject({ url: '/search?thema=ECON' })).json();
    expect(unknown.accepted).toContain('theme');
  });

  it('describes the live events: each change, a create, update or delete, is a ChangeEvent', async () => {
    const event = ajv.getSchema('openapi.json#/components/schemas/ChangeEvent')!;
    const changes = await t.store.changes(0, 100_000, { only: 'none' });
    expect(changes.length).toBeGreaterThan(0);
    const { publisher: _publisher, ...unpublished } = changes[0]!;
    for (const change of [...changes, { ...unpublished, op: 'delete' as const }]) {
      const [id, data, ...rest] = eventOf(TEST_BASE, change).split('\n');
      expect(id).toBe(`id: ${change.seq}`);
      expect(rest).toEqual(['', '']);
      const json = JSON.parse(data!.slice('data: '.length));
      expect(event(json), JSON.stringify(event.errors?.slice(0, 5), null, 1)).toBe(true);
    }
    const example = (contract.components.schemas as Record<string, Node>).ChangeEvent!.example as Node;
    expect(event(example), JSON.stringify(event.errors?.slice(0, 5), null, 1)).toBe(true);
    expect(event({ ...example, type: 'Update' })).toBe(false);
    expect(event({ ...example, data: { ...(example.data as Node), sequence: '101' } })).toBe(false);
  });

  it('refuses a live client beyond FEED_LIVE_MAX_CLIENTS with the problem the contract gives', async () => {
    const full = await buildTestApp(join(FIXTURES, 'http'), { env: { FEED_LIVE_MAX_CLIENTS: '0' } });
    try {
      const response = await full.app.inject({ url: '/feed/live' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().type).toBe('urn:katalog:problem:too-many-clients');
      const validate = ajv.getSchema(schemaPointer('GET', '/feed/live', 503, 'application/problem+json'))!;
      expect(validate(response.json()), JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
    } finally {
      await full.close();
    }
  });

  it('lists every problem kind the server has, with its status, and no other', () => {
    const rows = [...contract.info.description.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)].map(([, kind, status]) => [kind, Number(status)]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(PROBLEMS).map(([kind, p]) => [kind, p.status])));
  });
});
