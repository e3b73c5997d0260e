import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { FORMATS, type FormatId } from '../../src/core/media-types.js';
import { FOAF, HYDRA } from '../../src/core/namespaces.js';
import { parseRdf } from '../../src/core/parse.js';
import { quadToNt } from '../../src/core/rdf-terms.js';
import { triplesOf } from '../../src/core/serialize/representations.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { sameGraph, TEST_BASE, TEST_CONTEXT_URL } from '../helpers/graphs.js';

/**
 * Each distinct triple once per document (docs/design.md, Representations): a node several records
 * describe (a publisher's foaf:Agent) is written once in a catalogue, a page and a list, in every
 * syntax, and the document is still the union of its records' graphs.
 */

const DATA = join(import.meta.dirname, '..', '..', 'data');
const JSONLD = 'application/ld+json';
const HYDRA_NS = 'http://www.w3.org/ns/hydra/core#';
const HOMEPAGE = 'http://xmlns.com/foaf/0.1/homepage';
const FORMS = ['compacted', 'expanded', 'flattened'] as const;

/** The triples as parsed, duplicates kept (parseBack would drop them). */
async function rawTriples(body: string, format: FormatId): Promise<Quad[]> {
  return parseRdf(body, format, { baseIRI: 'http://example.com/', knownContexts: { [TEST_CONTEXT_URL]: CONTEXT_DOCUMENT } });
}

/** Keys of a graph's triples with blank nodes as written (labels are unique in a document). */
const keys = (quads: Quad[]) => quads.map((q) => quadToNt(q));

/** The node objects at the top level of a JSON-LD document, by @id: none may appear twice. */
function topLevelIds(body: string): string[] {
  const json = JSON.parse(body) as unknown;
  const nodes = (Array.isArray(json) ? json : ((json as { '@graph': unknown[] })['@graph'] ?? [])) as Array<Record<string, unknown>>;
  return nodes.map((n) => (n['@id'] ?? n.id) as string).filter((id) => id !== undefined);
}

/** A search page's graph without the page's own nodes and links (docs/search.md, The response). */
function withoutPage(graph: Quad[]): Quad[] {
  const page = new Set(graph.filter((q) => /\/datasets(\?|$)/.test(q.subject.value)).map((q) => q.subject.value));
  for (let grown = true; grown;) {
    grown = false;
    for (const q of graph) {
      if (page.has(q.subject.value) && q.object.termType === 'BlankNode' && !page.has(q.object.value)) {
        page.add(q.object.value);
        grown = true;
      }
    }
  }
  return graph.filter((q) => !page.has(q.subject.value) && !q.predicate.value.startsWith(`${TEST_BASE}/ns#`));
}

async function fetchAs(t: TestApp, url: string, accept: string) {
  const response = await t.app.inject({ url, headers: { accept } });
  expect(response.statusCode, `${url} as ${accept}`).toBe(200);
  return response.body;
}

/** Asserts that the document at `url` repeats no triple in any syntax, and returns its graph. */
async function assertOnce(t: TestApp, url: string): Promise<Quad[]> {
  const ntriples = await rawTriples(await fetchAs(t, url, 'application/n-triples'), 'ntriples');
  expect(new Set(keys(ntriples)).size, `${url} repeats no N-Triples line`).toBe(ntriples.length);
  for (const format of FORMATS.filter((f) => f.id !== 'jsonld')) {
    const quads = await rawTriples(await fetchAs(t, url, format.mediaType), format.id);
    expect(quads.length, `${url} as ${format.id}: as many triples as distinct ones`).toBe(ntriples.length);
    expect(sameGraph(quads, ntriples), `${url} as ${format.id}`).toBe(true);
  }
  for (const form of FORMS) {
    const body = await fetchAs(t, url, `${JSONLD}; profile="http://www.w3.org/ns/json-ld#${form}"`);
    const ids = topLevelIds(body);
    expect(new Set(ids).size, `${url} as JSON-LD ${form}: each node object once`).toBe(ids.length);
    expect(sameGraph(await rawTriples(body, 'jsonld'), ntriples), `${url} as JSON-LD ${form}`).toBe(true);
  }
  return ntriples;
}

/** The union of every stored record's N-Triples: what a document of all records must hold. */
async function storedUnion(t: TestApp, filter: (iri: string) => boolean = () => true): Promise<Quad[]> {
  const lines = new Set<string>();
  let copies = 0;
  for await (const record of t.store.scan()) {
    if (!filter(record.iri)) continue;
    for (const line of record.nt.split('\n')) {
      if (line === '') continue;
      copies++;
      lines.add(line);
    }
  }
  expect(copies, 'the records share triples (else this test proves nothing)').toBeGreaterThan(lines.size);
  return triplesOf([...lines].join('\n') + '\n');
}

describe('the seed catalogue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(DATA);
  });
  afterAll(() => t.close());

  it('writes each distinct triple of /catalog once in every syntax, and the union of the stored records', async () => {
    const graph = await assertOnce(t, '/catalog');
    const root = `${TEST_BASE}/catalog`;
    const records = graph.filter((q) => q.subject.value !== root);
    expect(sameGraph(records, await storedUnion(t))).toBe(true);
  });

  it('writes each distinct triple once on every page, the pages together holding the whole catalogue', async () => {
    const whole = await rawTriples(await fetchAs(t, '/catalog', 'application/n-triples'), 'ntriples');
    const paging = (q: Quad) => q.predicate.value.startsWith(HYDRA_NS) || q.object.value.startsWith(HYDRA_NS);
    const pages: Quad[] = [];
    for (let cursor: string | undefined = '/catalog?pageSize=5'; cursor;) {
      const page = await assertOnce(t, cursor);
      pages.push(...page.filter((q) => !paging(q)));
      const next = page.find((q) => q.predicate.value === HYDRA('next'))?.object.value;
      cursor = next?.slice(TEST_BASE.length);
    }
    expect(
      sameGraph(
        pages,
        whole.filter((q) => !paging(q)),
      ),
    ).toBe(true);
  });

  it('writes each distinct triple once in each collection and each catalogue with its members', async () => {
    for (const url of ['/datasets', '/data-services', '/services', '/events', '/catalogs']) await assertOnce(t, `${url}?pageSize=100`);
    const catalogs = (await t.store.count({ kind: 'catalog' })) > 0;
    expect(catalogs).toBe(true);
    for await (const catalog of t.store.scan({ kind: 'catalog' })) await assertOnce(t, `/catalogs/${catalog.id}`);
  });
});

describe('a node two records describe differently', () => {
  let t: TestApp;
  let dir: string;
  const AGENT = 'https://organization-catalog.fellesdatakatalog.digdir.no/organizations/987654321';
  const prefixes = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .`;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'katalog-shared-'));
    writeFileSync(
      join(dir, 'a.ttl'),
      `${prefixes}
      <https://example.org/datasets/a> a dcat:Dataset ; dct:title "A"@nb ; dct:publisher <${AGENT}> .
      <${AGENT}> a foaf:Agent ; foaf:name "Etaten"@nb .`,
    );
    writeFileSync(
      join(dir, 'b.ttl'),
      `${prefixes}
      <https://example.org/datasets/b> a dcat:Dataset ; dct:title "B"@nb ; dct:publisher <${AGENT}> .
      <${AGENT}> a foaf:Agent ; foaf:name "Etaten"@nb, "The agency"@en ; foaf:homepage [ dct:title "Hjem"@nb ] .`,
    );
    writeFileSync(
      join(dir, 'c.ttl'),
      `${prefixes}
      <https://example.org/datasets/c> a dcat:Dataset ; dct:title "C"@nb ; dct:publisher <${AGENT}> .
      <${AGENT}> a foaf:Agent ; foaf:name "Etaten"@nb .`,
    );
    t = await buildTestApp(dir);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the union of the descriptions once, every triple of either description once', async () => {
    const graph = await assertOnce(t, '/datasets?pageSize=100');
    const about = graph.filter((q) => q.subject.value === AGENT);
    expect(
      about
        .filter((q) => q.predicate.value === FOAF('name'))
        .map((q) => q.object.value)
        .sort(),
    ).toEqual(['Etaten', 'The agency']);
    expect(about.filter((q) => q.object.value === FOAF('Agent'))).toHaveLength(1);
    expect(about.filter((q) => q.predicate.value === HOMEPAGE)).toHaveLength(1);
    expect(sameGraph(withoutPage(graph), await storedUnion(t))).toBe(true);
  });

  it('still serves each record whole on its own, the shared node included', async () => {
    for (const id of ['a', 'b', 'c']) {
      const record = await t.store.getByIri(`https://example.org/datasets/${id}`);
      const graph = await rawTriples(await fetchAs(t, `/datasets/${record!.id}`, 'application/n-triples'), 'ntriples');
      expect(graph.some((q) => q.subject.value === AGENT && q.predicate.value === FOAF('name'))).toBe(true);
      expect(sameGraph(graph, triplesOf(record!.nt))).toBe(true);
    }
  });
});
