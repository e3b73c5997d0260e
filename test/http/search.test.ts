import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE } from '../helpers/graphs.js';

/**
 * The query API over HTTP (docs/search.md): words, ranking, filters, facets, paging while records
 * are written, read-your-writes, and what it refuses. The fixture is test/fixtures/search.
 */

const SSB = '971526920';
const UDIR = '945627913';
const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';
const JSONLD = { accept: 'application/ld+json' };
/** What a dataset needs besides a title and a publisher to pass dcat-ap-no. */
const VALID = 'dct:identifier "ny" ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI> ;';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'search'));
  key = (await createApiKey(t.store, SSB)).key;
});
afterAll(() => t.close());

interface Page {
  id: string;
  totalItems: number;
  member: Array<{ id: string; url: string; title: unknown }>;
  view: { id: string; first: string; next?: string; itemsPerPage: number };
  facet: Array<{ field: string; values: Array<{ value: string | { id: string }; count: number; labels: Record<string, string>; select: string }> }>;
}

/** Creates a dataset of SSB's with this title through the write API. */
const postDataset = (title: string) =>
  t.app.inject({
    method: 'POST',
    url: '/datasets',
    payload: `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
      [] a dcat:Dataset ; dct:title "${title}"@nb ; dct:description "Ny."@nb ; ${VALID}
         dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${SSB}> .`,
    headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
  });

async function search(url: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await t.app.inject({ url, headers: { ...JSONLD, ...headers } });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 500)}`).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
  return response.json() as Page;
}
const local = (page: Page) => page.member.map((m) => m.id.slice(m.id.lastIndexOf('/') + 1));
const ids = async (url: string, headers: Record<string, string> = {}) => local(await search(url, headers));
const relative = (url: string) => url.slice(TEST_BASE.length);

describe('words', () => {
  it('find Norwegian compounds and inflections by their beginning, in any case, with æ, ø and å as letters', async () => {
    expect((await ids('/search?q=befolkning&kind=dataset')).sort()).toEqual(['barnehagedekning', 'befolkningsstatistikk', 'folketal', 'skoler']);
    expect((await ids('/search?q=barnehage&kind=dataset')).sort()).toEqual(['barnehagedekning', 'barnehager']);
    expect((await ids('/search?q=BARNEHAGE&kind=dataset')).sort()).toEqual(['barnehagedekning', 'barnehager']);
    expect(await ids('/search?q=%C3%A5rsverk')).toEqual(['arsverk']);
    expect(await ids('/search?q=arsverk')).toEqual([]);
    expect(await ids('/search?q=road%20accidents')).toEqual(['road-traffic']);
  });

  it('rank a title match above a keyword match above a description match', async () => {
    const ranked = await ids('/search?q=befolkning&kind=dataset');
    expect(ranked.indexOf('befolkningsstatistikk')).toBeLessThan(ranked.indexOf('barnehagedekning'));
    expect(ranked.indexOf('folketal')).toBeLessThan(ranked.indexOf('barnehagedekning'));
    expect(ranked.indexOf('barnehagedekning')).toBeLessThan(ranked.indexOf('skoler'));
    expect(ranked.at(-1)).toBe('skoler');
  });

  it('treat search-engine syntax as text and never fail on it', async () => {
    for (const q of [
      '"befolkning',
      'befolkning*',
      'befolkning NEAR statistikk',
      '-befolkning',
      '(befolkning) OR',
      'title:befolkning',
      'AND',
      '^*"()',
      "'; DROP TABLE records; --",
    ]) {
      const response = await t.app.inject({ url: `/search?q=${encodeURIComponent(q)}`, headers: JSONLD });
      expect(response.statusCode, q).toBe(200);
    }
    expect(await ids(`/search?q=${encodeURIComponent('befolkning*')}&kind=data-service`)).toEqual(['befolkning-api']);
  });

  it('take a q without a word (an empty search box) as no q', async () => {
    const all = (await search('/search')).totalItems;
    expect((await search('/search?q=')).totalItems).toBe(all);
    expect((await search(`/search?q=${encodeURIComponent(' - * ')}`)).totalItems).toBe(all);
  });

  it('link each hit to its record in Katalog', async () => {
    const page = await search('/search?q=befolkningsstatistikk');
    const record = await t.app.inject({ url: relative(page.member[0]!.url), headers: { accept: 'text/turtle' } });
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain('Befolkningsstatistikk');
  });
});

describe('filters', () => {
  it.each([
    ['theme by code', 'theme=EDUC', ['barnehagedekning', 'barnehager', 'skoler']],
    ['theme by IRI', `theme=${encodeURIComponent(THEME + 'REGI')}`, ['folketal']],
    ['a Los theme by its slug', 'theme=familie-og-barn', ['befolkningsstatistikk']],
    ['themes OR within one parameter', 'theme=REGI&theme=GOVE', ['arsverk', 'folketal']],
    ['access rights', 'accessRights=NON_PUBLIC', ['barnehager']],
    ['licence', 'license=CC_BY_4_0', ['folketal']],
    ['open data (public and an open licence)', 'openData=true', ['barnehagedekning', 'befolkningsstatistikk', 'folketal']],
    ['format by file type', 'format=CSV', ['befolkningsstatistikk', 'skoler']],
    ['format by media type', 'format=text/csv', ['befolkningsstatistikk']],
    ['keyword', 'keyword=Statistikk', ['befolkningsstatistikk']],
    ['spatial', `spatial=${encodeURIComponent('https://data.geonorge.no/administrativeEnheter/nasjon/id/173163')}`, ['befolkningsstatistikk']],
    ['publisher by organisation number', `publisher=${UDIR}&kind=dataset`, ['barnehagedekning', 'barnehager', 'skoler']],
    [
      'publisher by IRI',
      `publisher=${encodeURIComponent(`https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${UDIR}`)}&kind=service`,
      ['barnehageplass'],
    ],
    ['catalogue', `catalog=${encodeURIComponent(`${TEST_BASE}/catalogs/ssb`)}`, ['befolkningsstatistikk', 'folketal', 'skoler']],
    [
      'life event: the services it groups, and the event itself',
      `lifeEvent=${encodeURIComponent(`${TEST_BASE}/events/fa-barn`)}`,
      ['barnehageplass', 'fa-barn'],
    ],
    ['kind', 'kind=event', ['fa-barn']],
    ['combined: AND across parameters', 'theme=EDUC&openData=true', ['barnehagedekning']],
    ['combined with words', 'q=befolkning&theme=SOCI&format=CSV', ['befolkningsstatistikk']],
  ])('%s', async (_what, query, expected) => {
    expect((await ids(`/search?${query}&pageSize=100`)).sort()).toEqual(expected);
  });

  it('on a kind’s own path, search that kind only', async () => {
    expect((await ids('/datasets?q=befolkning')).sort()).toEqual(['barnehagedekning', 'befolkningsstatistikk', 'folketal', 'skoler']);
    expect(await ids('/data-services?q=befolkning')).toEqual(['befolkning-api']);
    expect(await ids('/services?kind=dataset')).toEqual([]);
  });

  it('by time of the latest write', async () => {
    const all = (await search('/search?pageSize=100')).totalItems;
    expect((await search('/search?modifiedSince=2000-01-01')).totalItems).toBe(all);
    expect((await search('/search?modifiedBefore=2000-01-01T00:00:00Z')).totalItems).toBe(0);
    expect((await search(`/search?modifiedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).totalItems).toBe(0);
  });
});

describe('facets', () => {
  it('count, for every value, the hits a filter on that value returns, each labelled', async () => {
    const page = await search('/search?q=befolkning&theme=SOCI');
    const fields = page.facet.map((f) => f.field);
    expect(fields).toEqual(['kind', 'publisher', 'theme', 'format', 'accessRights', 'license', 'openData', 'lifeEvent', 'businessEvent', 'quality']);
    let checked = 0;
    for (const facet of page.facet) {
      for (const value of facet.values) {
        // The value alone in its field, with the other filters: what a filter on that value returns.
        const alone = new URL(value.select);
        alone.searchParams.delete(facet.field);
        alone.searchParams.append(facet.field, typeof value.value === 'string' ? value.value : value.value.id);
        const filtered = await search(relative(alone.toString()));
        // A facet does not filter itself: its value's count is what adding it to the other filters gives.
        expect(filtered.totalItems, `${facet.field} ${JSON.stringify(value.value)}`).toBe(value.count);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(8);
    const theme = page.facet.find((f) => f.field === 'theme')!;
    expect(theme.values.find((v) => typeof v.value === 'object' && v.value.id === THEME + 'SOCI')!.labels).toMatchObject({
      nb: 'Befolkning og samfunn',
      en: 'Population and society',
    });
    const publisher = page.facet.find((f) => f.field === 'publisher')!;
    expect(publisher.values.find((v) => v.value === SSB)!.labels).toEqual({ nb: 'Statistisk sentralbyrå', en: 'Statistics Norway' });
    expect(page.facet.find((f) => f.field === 'kind')!.values.find((v) => v.value === 'dataset')!.labels).toEqual({
      nb: 'Datasett',
      nn: 'Datasett',
      en: 'Dataset',
    });
  });

  it('know a value given by its code as chosen, and vary by Accept-Language', async () => {
    const response = await t.app.inject({ url: '/datasets?theme=EDUC', headers: JSONLD });
    expect(response.headers.vary).toMatch(/Accept-Language/);
    const theme = (response.json() as Page).facet.find((f) => f.field === 'theme')!;
    const educ = theme.values.find((v) => typeof v.value === 'object' && v.value.id === THEME + 'EDUC')!;
    expect(new URL(educ.select).searchParams.getAll('theme')).toEqual(['EDUC']);
  });

  it('leave the kind out on a kind’s own path', async () => {
    expect((await search('/datasets')).facet.map((f) => f.field)).not.toContain('kind');
  });
});

describe('sorting and paging', () => {
  it('sorts by title in the language asked for, by parameter or Accept-Language', async () => {
    const nb = await ids('/datasets?sort=title&pageSize=100');
    expect(nb.slice(0, 2)).toEqual(['barnehagedekning', 'barnehager']);
    expect(nb.at(-1)).toBe('arsverk'); // Å last
    const en = await ids('/datasets?sort=title&lang=en&pageSize=100');
    expect(en.indexOf('arsverk')).toBeLessThan(en.indexOf('befolkningsstatistikk')); // Man-years before Population
    expect(await ids('/datasets?sort=title&pageSize=100')).toEqual(await ids('/datasets?sort=title&pageSize=100&lang=nb'));
    expect(await ids('/datasets?sort=title&pageSize=100', { 'accept-language': 'en' })).toEqual(en);
  });

  it.each(['modified', 'title', 'relevance'])('visits every hit exactly once, sort=%s, while records are written between pages', async (sort) => {
    const before = await ids(`/search?q=befolkning&sort=${sort}&pageSize=100`);
    const seen: string[] = [];
    let url: string | undefined = `/search?q=befolkning&sort=${sort}&pageSize=2`;
    let round = 0;
    while (url) {
      const page = await search(url);
      seen.push(...local(page));
      url = page.view.next && relative(page.view.next);
      if (round++ === 0) {
        const created = await postDataset(`Befolkningsframskrivinger ${sort}`);
        expect(created.statusCode, created.body.slice(0, 300)).toBe(201);
        // The new record is found by the next search (read-your-writes)...
        expect(local(await search(`/search?q=befolkningsframskrivinger%20${sort}`))).toHaveLength(1);
        const gone = await t.app.inject({ method: 'DELETE', url: relative(created.headers.location as string), headers: { authorization: `Bearer ${key}` } });
        expect(gone.statusCode).toBe(204);
        // ...and a deleted one is not.
        expect(local(await search(`/search?q=befolkningsframskrivinger%20${sort}`))).toHaveLength(0);
        expect((await postDataset(`Befolkning, ny ${sort}`)).statusCode).toBe(201);
      }
    }
    for (const id of before)
      expect(
        seen.filter((s) => s === id),
        id,
      ).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('has a next link only while there are more hits, and each page’s size', async () => {
    const page = await search('/search?pageSize=1');
    expect(page.member).toHaveLength(1);
    expect(page.view.itemsPerPage).toBe(1);
    expect(page.view.next).toBeDefined();
    expect((await search('/search?pageSize=100')).view.next).toBeUndefined();
    expect((await search('/search')).member.length).toBeLessThanOrEqual(20);
  });
});

describe('refused requests', () => {
  const refused = async (url: string, status = 400, type = 'invalid-request') => {
    const before = await t.store.state();
    const response = await t.app.inject({ url, headers: JSONLD });
    expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().type).toBe(`urn:katalog:problem:${type}`);
    expect(await t.store.state()).toEqual(before);
    return response.json();
  };

  it('refuses an unknown parameter, listing the accepted ones', async () => {
    const problem = await refused('/search?qq=befolkning');
    expect(problem.detail).toContain('qq');
    expect(problem.accepted).toContain('q');
    expect(problem.accepted).toContain('pageSize');
    await refused('/datasets?themes=EDUC');
  });

  it.each([
    ['pageSize 0', '/search?pageSize=0'],
    ['pageSize 1000', '/search?pageSize=1000'],
    ['pageSize x', '/search?pageSize=x'],
    ['a forged cursor', '/search?cursor=abc'],
    ['a cursor of well-formed JSON that is no cursor', `/search?cursor=${Buffer.from('{"a":1}').toString('base64url')}`],
    ['a cursor of another order', `/search?sort=title&cursor=${Buffer.from('["modified","2024-01-01",1,5]').toString('base64url')}`],
    ['an invalid date', '/search?modifiedSince=yesterday'],
    ['an impossible date', '/search?modifiedBefore=2024-02-30T25:00:00Z'],
    ['a q of 10,000 characters', `/search?q=${'befolkning '.repeat(910)}`],
    ['openData=false', '/search?openData=false'],
    ['an unknown kind', '/search?kind=person'],
    ['an unknown sort', '/search?sort=random'],
    ['101 values of one filter', `/search?${Array.from({ length: 101 }, (_, i) => `theme=T${i}`).join('&')}`],
  ])('refuses %s with a problem, storing nothing', async (_what, url) => {
    await refused(url);
  });

  it.each([
    ['a cursor of 100,000 characters', `/search?cursor=${'A'.repeat(100_000)}`, 400],
    ['a lone surrogate, percent-encoded (read as U+FFFD)', '/search?q=%ED%A0%80', 200],
    ['5,000 repeated unknown parameters', `/search?${'x=1&'.repeat(5_000)}`, 400],
    ['control characters and NUL in q', `/search?q=${encodeURIComponent('befolkning\u0000\u0007\u001b[0m')}`, 200],
    ['a q of only punctuation', `/search?q=${encodeURIComponent('*** --- ((( ')}`, 200],
  ])('answers %s without a 5xx and without a change', async (_what, url, status) => {
    const before = await t.store.state();
    const response = await t.app.inject({ url, headers: JSONLD });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
    if (status >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await t.store.state()).toEqual(before);
  });

  it('answers 406 to an Accept it cannot meet', async () => {
    const response = await t.app.inject({ url: '/search?q=befolkning', headers: { accept: 'image/png' } });
    expect(response.statusCode).toBe(406);
  });
});
