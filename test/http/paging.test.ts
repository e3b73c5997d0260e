import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../src/core/kinds.js';
import { HYDRA, RDF_TYPE } from '../../src/core/namespaces.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, sameGraph, TEST_BASE } from '../helpers/graphs.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
});
afterAll(() => t.close());

const HYDRA_NS = 'http://www.w3.org/ns/hydra/core#';
const RECORD_CLASSES = new Set<string>(KINDS.flatMap((k) => [...k.classes]));

async function graph(url: string): Promise<Quad[]> {
  const response = await t.app.inject({ url: url.startsWith(TEST_BASE) ? url.slice(TEST_BASE.length) : url, headers: { accept: 'application/n-triples' } });
  expect(response.statusCode, url).toBe(200);
  return parseBack(response.body, 'ntriples');
}

const withoutPaging = (quads: Quad[]) => quads.filter((q) => !q.predicate.value.startsWith(HYDRA_NS) && !q.object.value.startsWith(HYDRA_NS));
const nextOf = (quads: Quad[]) => quads.find((q) => q.predicate.value === HYDRA('next'))?.object.value;
const recordsOn = (quads: Quad[]) =>
  quads
    .filter((q) => q.predicate.value === RDF_TYPE && RECORD_CLASSES.has(q.object.value) && q.subject.value !== `${TEST_BASE}/catalog`)
    .map((q) => q.subject.value);

/** Follows next links from `first`, calling `between` after each page; returns every page. */
async function walk(first: string, between: (page: number) => Promise<void> = async () => {}): Promise<Quad[][]> {
  const pages: Quad[][] = [];
  for (let url: string | undefined = first; url; url = nextOf(pages[pages.length - 1]!)) {
    pages.push(await graph(url));
    await between(pages.length);
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

describe('paging a catalogue', () => {
  it('gives pages whose union is the unpaged catalogue', async () => {
    const whole = await graph('/catalog');
    const pages = await walk('/catalog?pageSize=3');
    expect(pages.length).toBe(Math.ceil(recordsOn(whole).length / 3));
    expect(sameGraph(withoutPaging(pages.flat()), whole)).toBe(true);
  });

  it('describes each page with hydra:PartialCollectionView and the older PagedCollection terms', async () => {
    const [first] = await walk('/catalog?pageSize=3');
    const view = first!.find((q) => q.predicate.value === HYDRA('view'))!.object.value;
    const about = (p: string) => first!.find((q) => q.subject.value === view && q.predicate.value === p)?.object.value;
    expect(first!.some((q) => q.subject.value === view && q.object.value === HYDRA('PartialCollectionView'))).toBe(true);
    expect(first!.some((q) => q.subject.value === view && q.object.value === HYDRA('PagedCollection'))).toBe(true);
    for (const p of ['first', 'next', 'last', 'firstPage', 'nextPage', 'lastPage', 'itemsPerPage', 'totalItems'] as const)
      expect(about(HYDRA(p)), p).toBeDefined();
    const last = await graph(about(HYDRA('last'))!);
    expect(nextOf(last)).toBeUndefined();
  });

  it('walks every record exactly once while records are written between pages', async () => {
    const before = new Set(recordsOn(await graph('/catalog')));
    const seen: string[] = [];
    const pages = await walk('/catalog?pageSize=2', async (page) => {
      if (page === 1) {
        const early = (await t.store.get('dataset', 'enhetsregisteret'))!;
        await t.store.put(early); // an update of a record already served
        const iri = `${TEST_BASE}/datasets/added-while-paging`;
        const nt = `<${iri}> <${RDF_TYPE}> <http://www.w3.org/ns/dcat#Dataset> .\n`;
        await t.store.put({
          iri,
          kind: 'dataset',
          id: 'added-while-paging',
          nt,
          ttl: `<${iri}> a dcat:Dataset .\n`,
          jsonld: JSON.stringify({ id: iri, type: 'Dataset' }),
        }); // a new one
      }
    });
    for (const page of pages) seen.push(...recordsOn(page));
    expect(new Set(seen).size).toBe(seen.length);
    for (const iri of before) expect(seen).toContain(iri);
    expect(seen).toContain(`${TEST_BASE}/datasets/added-while-paging`);
  });

  it('pages one catalogue with its own description on every page', async () => {
    const whole = await graph('/catalogs/brreg');
    const pages = await walk('/catalogs/brreg?pageSize=2');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.some((q) => q.subject.value === `${TEST_BASE}/catalogs/brreg` && q.predicate.value === RDF_TYPE)).toBe(true);
    expect(sameGraph(withoutPaging(pages.flat()), whole)).toBe(true);
  });

  it('serves only what changed since a time with modifiedSince', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const record = (await t.store.get('event', 'starte-bedrift'))!;
    await t.store.put(record);
    const changed = recordsOn(await graph(`/catalog?modifiedSince=${encodeURIComponent(since)}`));
    expect(changed, JSON.stringify(changed)).toEqual([record.iri]);
    // A catalogue's own description comes with every response about it, changed or not.
    expect(recordsOn(await graph(`/catalogs/brreg?modifiedSince=${encodeURIComponent(since)}`)).sort()).toEqual([`${TEST_BASE}/catalogs/brreg`, record.iri]);
  });

  it('refuses a cursor without a page size, and a bad modifiedSince, with 400', async () => {
    for (const url of ['/catalog?cursor=3', '/catalog?modifiedSince=yesterday', '/catalog?pageSize=0']) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().type).toBe('urn:katalog:problem:invalid-request');
    }
  });
});
