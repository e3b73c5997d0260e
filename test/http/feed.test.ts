import type { Quad } from '@rdfjs/types';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { DataFactory, Parser } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { compactFeed } from '../../src/catalog/feed.js';
import { loadDirectory } from '../../src/catalog/data-loader.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { type Kind, KINDS, kindInfo } from '../../src/core/kinds.js';
import { buildTestProcesses, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { sameGraph, TEST_BASE, TEST_CONTEXT_URL } from '../helpers/graphs.js';
import { ATOM, child, childrenNamed, parseXml, textOf } from '../helpers/xml.js';

const AS = 'https://www.w3.org/ns/activitystreams#';
const TREE = 'https://w3id.org/tree#';
const LDES = 'https://w3id.org/ldes#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const PAGE_SIZE = 3;

let t: TestApp;
/** Another process on the same database: its own caches, so it renders every page anew. */
let other: TestApp;
let admin: string;

beforeAll(async () => {
  const apps = await buildTestProcesses(join(FIXTURES, 'http'), 2, { env: { FEED_PAGE_SIZE: String(PAGE_SIZE) } });
  t = apps[0]!;
  other = apps[1]!;
  admin = (await createApiKey(t.store, '910000000', { admin: true })).key;
});
afterAll(async () => {
  await other.close();
  await t.close();
});

const get = (url: string, headers: Record<string, string> = {}, app = t) =>
  app.app.inject({ method: 'GET', url, headers: { accept: 'application/n-quads', ...headers } });
const local = (url: string) => url.slice(TEST_BASE.length);
const quadsOf = (text: string) => new Parser({ format: 'N-Quads' }).parse(text);

/** Loads the fixture again: every record of every kind replaced (a new version), deleted ones created again. */
async function reload(app = t) {
  const report = await loadDirectory(app.store, join(FIXTURES, 'http'), { baseUrl: TEST_BASE, knownContexts: { [TEST_CONTEXT_URL]: CONTEXT_DOCUMENT } });
  expect(report.failed).toBe(0);
}

/** Deletes the last record of a kind through the API. */
async function deleteOneOf(kind: Kind) {
  const info = kindInfo(kind);
  const mine = [];
  for await (const record of t.store.scan({ kind, only: 'nt' })) mine.push(record);
  const response = await t.app.inject({ method: 'DELETE', url: `/${info.segment}/${mine.at(-1)!.id}`, headers: { authorization: `Bearer ${admin}` } });
  expect(response.statusCode, response.body).toBe(204);
}

/** A harvester following a feed: the record graphs it holds, the activities it applied, and where it is. */
class Follower {
  readonly graphs = new Map<string, Quad[]>();
  readonly applied: number[] = [];
  /** The page it read last (re-read to catch up), and the last change it applied. */
  page: string;
  last = 0;

  constructor(
    start: string,
    private readonly app = t,
  ) {
    this.page = start;
  }

  /** Reads pages from where it is until the open page, applying every activity it has not applied. */
  async follow(maxPages = Infinity): Promise<number> {
    let pages = 0;
    while (pages < maxPages) {
      const response = await get(local(this.page), {}, this.app);
      expect(response.statusCode, response.body).toBe(200);
      pages++;
      const quads = quadsOf(response.body);
      const activities = quads
        .filter((q) => q.predicate.value === `${TREE}member`)
        .map((q) => q.object.value)
        .map((iri) => ({ iri, seq: Number(iri.split('/').pop()) }))
        .sort((a, b) => a.seq - b.seq);
      for (const { iri, seq } of activities) {
        if (seq <= this.last) continue;
        const type = quads.find((q) => q.subject.value === iri && q.predicate.value === RDF_TYPE)!.object.value;
        const object = quads.find((q) => q.subject.value === iri && q.predicate.value === `${AS}object`)!.object.value;
        if (type === `${AS}Delete`) this.graphs.delete(object);
        else
          this.graphs.set(
            object,
            quads.filter((q) => q.graph.value === iri).map((q) => DataFactory.quad(q.subject, q.predicate, q.object)),
          );
        this.applied.push(seq);
        this.last = seq;
      }
      const next = quads.find((q) => q.subject.value === this.page && q.predicate.value === `${TREE}relation`);
      if (!next) return pages;
      this.page = quads.find((q) => q.subject.equals(next.object) && q.predicate.value === `${TREE}node`)!.object.value;
    }
    return pages;
  }

  graph(): Quad[] {
    return [...this.graphs.values()].flat();
  }
}

/** What GET /catalog serves about the records (without the root catalogue Katalog adds). */
async function catalogGraph(app = t): Promise<Quad[]> {
  const response = await get('/catalog', { accept: 'application/n-triples' }, app);
  return new Parser({ format: 'N-Triples' }).parse(response.body).filter((q) => q.subject.value !== `${TEST_BASE}/catalog`);
}

const allSeqs = async (after = 0) => (await t.store.changes(after, 100_000)).map((c) => c.seq);

describe('the change feed', () => {
  it('describes the stream: an ldes:EventStream with its paths and first page', async () => {
    const response = await get('/feed');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/n-quads/);
    const quads = quadsOf(response.body);
    const stream = `${TEST_BASE}/feed`;
    const has = (p: string, o: string) => quads.some((q) => q.subject.value === stream && q.predicate.value === p && q.object.value === o);
    expect(has(RDF_TYPE, `${LDES}EventStream`)).toBe(true);
    expect(has(`${LDES}timestampPath`, `${AS}published`)).toBe(true);
    expect(has(`${LDES}versionOfPath`, `${AS}object`)).toBe(true);
    expect(has(`${TREE}view`, `${TEST_BASE}/feed/pages/0`)).toBe(true);
  });

  it('replays to the catalogue: creates, replaces and deletes of every kind, also while writes go on during the walk', async () => {
    const follower = new Follower(`${TEST_BASE}/feed/pages/0`);
    await follower.follow(2); // the loaded records' creates, two pages of them
    await reload();
    for (const info of KINDS) if (info.kind !== 'catalog') await deleteOneOf(info.kind);
    await follower.follow();
    expect(follower.applied).toEqual(await allSeqs());
    const ops = new Set((await t.store.changes(0, 100_000)).map((c) => `${c.kind} ${c.op}`));
    for (const info of KINDS)
      for (const op of ['create', 'update', ...(info.kind === 'catalog' ? [] : ['delete'])]) expect(ops).toContain(`${info.kind} ${op}`);
    expect(sameGraph(follower.graph(), await catalogGraph())).toBe(true);

    // It catches up by reading its open page again; the deleted records come back.
    await reload();
    await follower.follow();
    expect(follower.applied).toEqual(await allSeqs());
    expect(sameGraph(follower.graph(), await catalogGraph())).toBe(true);
  });

  it('resumes from the page a client last saw: every later activity once, none missing', async () => {
    const early = new Follower(`${TEST_BASE}/feed/pages/0`);
    await early.follow(2);
    const stoppedAt = early.last;
    await reload();
    await early.follow();
    const after = early.applied.slice(early.applied.indexOf(stoppedAt) + 1);
    expect(after).toEqual(await allSeqs(stoppedAt));
    expect(new Set(early.applied).size).toBe(early.applied.length);
  });

  it('serves full pages byte for byte the same, from any process, for good; the open page briefly, with a new ETag after a change', async () => {
    const first = await get('/feed/pages/0', { accept: 'application/trig' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await get('/feed/pages/0', { accept: 'application/trig' });
    const elsewhere = await get('/feed/pages/0', { accept: 'application/trig' }, other);
    expect(again.body).toBe(first.body);
    expect(elsewhere.body).toBe(first.body);
    expect(elsewhere.headers.etag).toBe(first.headers.etag);
    const notModified = await get('/feed/pages/0', { accept: 'application/trig', 'if-none-match': String(first.headers.etag) });
    expect(notModified.statusCode).toBe(304);

    // The open page: the one after the last full page.
    const follower = new Follower(`${TEST_BASE}/feed/pages/0`);
    await follower.follow();
    const open = await get(local(follower.page));
    expect(open.headers['cache-control']).toBe('public, max-age=5');
    expect((await get(local(follower.page), { 'if-none-match': String(open.headers.etag) })).statusCode).toBe(304);
    await reload();
    const changed = await get(local(follower.page), { 'if-none-match': String(open.headers.etag) });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(open.headers.etag);
  });

  it('says the same in TriG, N-Quads and JSON-LD, named graphs and all (read back by n3 and jsonld.js)', async () => {
    const body = async (ext: string) => {
      const response = await get(`/feed/pages/0?format=${ext}`);
      expect(response.statusCode).toBe(200);
      return response.body;
    };
    const trig = new Parser({ format: 'application/trig' }).parse(await body('trig'));
    const nquads = quadsOf(await body('nq'));
    const fromJsonLd = quadsOf((await jsonld.toRDF(JSON.parse(await body('jsonld')), { format: 'application/n-quads' })) as unknown as string);
    expect(trig.filter((q) => q.graph.termType === 'NamedNode').length).toBeGreaterThan(0);
    expect(isomorphic(trig, nquads)).toBe(true);
    expect(isomorphic(trig, fromJsonLd)).toBe(true);
  });

  it('follows one kind, one organisation, or a catalogue (its organisation), each with pages of its own', async () => {
    const changes = await t.store.changes(0, 100_000);
    const walk = async (start: string) => {
      const follower = new Follower(start);
      await follower.follow();
      return follower.applied;
    };
    expect(await walk(`${TEST_BASE}/feed/pages/0?kind=dataset`)).toEqual(changes.filter((c) => c.kind === 'dataset').map((c) => c.seq));
    const org = changes.find((c) => c.organisation)!.organisation!;
    const ofOrg = changes.filter((c) => c.organisation === org).map((c) => c.seq);
    expect(await walk(`${TEST_BASE}/feed/pages/0?organisation=${org}`)).toEqual(ofOrg);
    const catalog = (await t.store.get('catalog', 'brreg'))!;
    expect(catalog.organisation).toBe(org);
    const stream = quadsOf((await get('/catalogs/brreg/feed')).body);
    expect(stream.some((q) => q.predicate.value === `${TREE}view` && q.object.value === `${TEST_BASE}/catalogs/brreg/feed/pages/0`)).toBe(true);
    expect(await walk(`${TEST_BASE}/catalogs/brreg/feed/pages/0`)).toEqual(ofOrg);
  });

  it('serves each activity at its own IRI', async () => {
    const [change] = await t.store.changes(0, 1);
    const response = await get(`/feed/activities/${change!.seq}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
    const quads = quadsOf(response.body);
    const iri = `${TEST_BASE}/feed/activities/${change!.seq}`;
    expect(quads.find((q) => q.subject.value === iri && q.predicate.value === `${AS}object`)!.object.value).toBe(change!.iri);
  });

  it('lists the latest changes as Atom, newest first, in Norwegian or English, with 304 for a current copy', async () => {
    const latest = (await t.store.changes(0, 100_000)).slice(-50).reverse();
    const response = await get('/feed.atom', { accept: 'application/atom+xml' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const feed = parseXml(response.body);
    expect(feed.uri).toBe(ATOM);
    expect(feed.attributes['xml:lang']).toBe('nb');
    const entries = childrenNamed(feed, 'entry');
    expect(entries.map((e) => textOf(e, 'id'))).toEqual(latest.map((c) => `${TEST_BASE}/feed/activities/${c.seq}`));
    const dataset = latest.find((c) => c.iri === `${TEST_BASE}/datasets/enhetsregisteret` && c.op !== 'delete')!;
    const entry = entries.find((e) => textOf(e, 'id') === `${TEST_BASE}/feed/activities/${dataset.seq}`)!;
    expect(textOf(entry, 'title')).toContain('Enhetsregisteret');
    expect(child(entry, 'link')!.attributes.href).toBe(`${TEST_BASE}/datasets/enhetsregisteret`);
    const english = parseXml((await get('/feed.atom', { 'accept-language': 'en-GB,en;q=0.9' })).body);
    expect(english.attributes['xml:lang']).toBe('en');
    expect(parseXml((await get('/feed.atom?lang=en')).body).attributes['xml:lang']).toBe('en');
    expect((await get('/feed.atom', { 'if-none-match': String(response.headers.etag) })).statusCode).toBe(304);
  });

  it.each([
    ['/feed/pages/abc', 400, 'invalid-request'],
    ['/feed/pages/-1', 400, 'invalid-request'],
    ['/feed/pages/0012', 400, 'invalid-request'],
    ['/feed/pages/99999999999', 404, 'not-found'],
    ['/feed/pages/1234567890123456789', 400, 'invalid-request'],
    ['/feed?kind=nonsense', 400, 'invalid-request'],
    ['/feed/pages/0?organisation=12', 400, 'invalid-request'],
    ['/feed/pages/0?format=ttl', 400, 'invalid-request'],
    ['/feed/activities/0', 404, 'not-found'],
    ['/feed/activities/99999999999', 404, 'not-found'],
    ['/feed/activities/x', 400, 'invalid-request'],
    ['/catalogs/nope/feed', 404, 'not-found'],
    ['/catalogs/nope/feed/pages/0', 404, 'not-found'],
    ['/feed.atom?lang=de', 400, 'invalid-request'],
  ])('answers %s with %i problem+json', async (url, status, kind) => {
    const before = await t.store.state();
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().type).toBe(`urn:katalog:problem:${kind}`);
    expect(await t.store.state()).toEqual(before);
  });

  it('refuses the triple-only syntaxes with 406 naming the quad syntaxes', async () => {
    for (const accept of ['text/turtle', 'application/n-triples', 'application/rdf+xml']) {
      const response = await get('/feed/pages/0', { accept });
      expect(response.statusCode).toBe(406);
      expect(response.json().type).toBe('urn:katalog:problem:not-acceptable');
      expect(response.json().detail).toContain('application/trig');
    }
  });
});

describe('the change feed when the history is compacted', () => {
  let r: TestApp;
  beforeAll(async () => {
    [r] = (await buildTestProcesses(join(FIXTURES, 'http'), 1, { env: { FEED_PAGE_SIZE: String(PAGE_SIZE), FEED_RETENTION: 'latest' } })) as [TestApp];
  });
  afterAll(() => r.close());

  it("keeps each record's latest version and every delete, says so in the stream, and still replays to the catalogue from any position", async () => {
    const early = new Follower(`${TEST_BASE}/feed/pages/0`, r);
    await early.follow(1);
    await reload(r);
    const key = (await createApiKey(r.store, '910000000', { admin: true })).key;
    const deleted = await r.app.inject({ method: 'DELETE', url: '/datasets/enhetsregisteret', headers: { authorization: `Bearer ${key}` } });
    expect(deleted.statusCode).toBe(204);
    const before = await r.store.changes(0, 100_000);
    expect(await compactFeed(r.store, { keep: 'latest' })).toBeGreaterThan(0);
    const after = await r.store.changes(0, 100_000);
    const latest = new Map(before.map((c) => [c.iri, c.seq]));
    expect(after.map((c) => c.seq)).toEqual(before.filter((c) => c.op === 'delete' || latest.get(c.iri) === c.seq).map((c) => c.seq));

    const stream = quadsOf((await get('/feed', {}, r)).body);
    const policy = stream.find((q) => q.subject.value === `${TEST_BASE}/feed/pages/0` && q.predicate.value === `${LDES}retentionPolicy`);
    expect(stream.some((q) => q.subject.equals(policy!.object) && q.object.value === `${LDES}LatestVersionSubset`)).toBe(true);

    // A new client replays to the catalogue; one that stopped before the compaction carries on from where it was.
    const fresh = new Follower(`${TEST_BASE}/feed/pages/0`, r);
    await fresh.follow();
    expect(sameGraph(fresh.graph(), await catalogGraph(r))).toBe(true);
    await early.follow();
    expect(early.applied.filter((seq) => seq > PAGE_SIZE)).toEqual(after.map((c) => c.seq).filter((seq) => seq > early.applied[PAGE_SIZE - 1]!));
    expect(sameGraph(early.graph(), await catalogGraph(r))).toBe(true);
    const full = await get('/feed/pages/0', {}, r);
    expect(full.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('describes a retention by age as an ldes:DurationAgoPolicy', async () => {
    const [aged] = (await buildTestProcesses(join(FIXTURES, 'http'), 1, { env: { FEED_RETENTION: 'P30D' } })) as [TestApp];
    try {
      const stream = new Parser({ format: 'application/trig' }).parse((await get('/feed', { accept: 'application/trig' }, aged)).body);
      const policy = stream.find((q) => q.predicate.value === `${LDES}retentionPolicy`)!;
      expect(stream.some((q) => q.subject.equals(policy.object) && q.object.value === `${LDES}DurationAgoPolicy`)).toBe(true);
      expect(stream.find((q) => q.subject.equals(policy.object) && q.predicate.value === `${TREE}value`)!.object.value).toBe('P30D');
      expect(await compactFeed(aged.store, { keep: 'days', days: 30 }, new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThan(0);
      expect((await aged.store.changes(0, 100)).length).toBe(1);
    } finally {
      await aged.close();
    }
  });
});
