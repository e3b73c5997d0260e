import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HTTP_RECORD_URLS } from '../helpers/fixtures.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { parseBack } from '../helpers/graphs.js';
import { attribute, byTag, elements, type HtmlElement, languageOf, parseHtml, textOf } from '../helpers/html.js';

/** What a browser sends when it opens a link (Chromium, Firefox). */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const RDF_TYPES = ['text/turtle', 'application/ld+json', 'application/n-triples', 'application/rdf+xml', 'application/n-quads', 'application/trig'];

const RECORDS = HTTP_RECORD_URLS;
const RDF_PAGES = ['/catalog', ...RECORDS, '/profiles/dcat-ap-no', '/vocabularies/frequency'];
const SEARCHES = ['/search', '/search?q=enhet', '/datasets', '/services'];
const ALL_PAGES = ['/', ...RDF_PAGES, ...SEARCHES, '/profiles', '/vocabularies', '/validate', '/profiles/dcat-ap-no?shape=DatasetShape'];

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const isPage = (response: { headers: Record<string, unknown> }) => String(response.headers['content-type']).startsWith('text/html');

/** A multipart/form-data body as a browser sends the validator form. */
function form(fields: Record<string, string>, file?: { name: string; content: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----katalogtest' + Math.random().toString(16).slice(2);
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  // A browser sends the file field also when no file is chosen: empty, with an empty file name.
  const { name, content } = file ?? { name: '', content: '' };
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`,
  );
  return {
    payload: Buffer.from(parts.join('') + `--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: BROWSER },
  };
}

const INVALID_DATASET =
  '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . <http://x.test/d> a dcat:Dataset ; dct:title "Uten alt"@nb .';

describe('negotiation: people get pages, harvesters what they got before', () => {
  it.each([...ALL_PAGES])('gives a browser a page at %s, with Vary: Accept', async (url) => {
    const response = await get(url, { accept: BROWSER });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(response.headers.vary)).toMatch(/Accept\b/);
    expect(parseHtml(response.body).tagName).toBe('html');
  });

  it.each(RDF_PAGES)('keeps RDF at %s for no Accept, */*, every RDF type and ?format=', async (url) => {
    for (const accept of [undefined, '*/*', ...RDF_TYPES, 'text/html;q=0.5, text/turtle', 'application/ld+json, text/html;q=0.9']) {
      const response = await get(url, accept ? { accept } : {});
      expect(response.statusCode, `${url} ${accept}`).toBe(200);
      expect(isPage(response), `${url} ${accept}`).toBe(false);
      expect(String(response.headers.vary)).toMatch(/Accept/);
    }
    const asked = await get(`${url}${url.includes('?') ? '&' : '?'}format=ttl`, { accept: BROWSER });
    expect(asked.headers['content-type']).toMatch(/^text\/turtle/);
    expect((await parseBack(asked.body, 'turtle')).length).toBeGreaterThan(0);
  });

  it('gives a page for ?format=html whatever the Accept, except on a search, where format is a filter', async () => {
    for (const url of RDF_PAGES) expect(isPage(await get(`${url}?format=html`)), url).toBe(true);
    const search = await get('/search?format=html');
    expect(search.statusCode).toBe(200);
    expect(search.headers['content-type']).toMatch(/^text\/turtle/);
  });

  it('keeps searches, lists and the JSON of profiles and vocabularies for machines', async () => {
    for (const url of SEARCHES) {
      expect(isPage(await get(url)), url).toBe(false);
      expect((await get(url, { accept: 'application/ld+json' })).headers['content-type']).toMatch(/^application\/ld\+json/);
    }
    for (const url of ['/profiles', '/vocabularies']) expect((await get(url)).headers['content-type']).toMatch(/^application\/json/);
  });

  it("gives RDF to a Java client's default Accept and to a search path written with escapes", async () => {
    const java = await get('/datasets/enhetsregisteret', { accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' });
    expect(java.headers['content-type']).toMatch(/^text\/turtle/);
    const escaped = await get('/%73earch?format=html');
    expect(escaped.statusCode).toBe(200);
    expect(escaped.headers['content-type']).toMatch(/^text\/turtle/);
  });

  it('makes the same page of a URL with parameters a page does not read, and answers 404 to a missing record whatever its ETag', async () => {
    const plain = await get('/datasets/enhetsregisteret', { accept: BROWSER });
    const noisy = await get('/datasets/enhetsregisteret?utm_source=x&n=1', { accept: BROWSER });
    expect(noisy.statusCode).toBe(200);
    expect(noisy.headers.etag).toBe(plain.headers.etag);
    expect(noisy.body).toBe(plain.body);
    const missing = await get('/datasets/nothing-here', { accept: BROWSER, 'if-none-match': String(plain.headers.etag) });
    expect(missing.statusCode).toBe(404);
  });

  it('serves the start page and the validator form only as pages', async () => {
    for (const url of ['/', '/validate']) {
      const response = await get(url, { accept: '*/*' });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers a page that is not there with 404 problem+json, and a bad ?lang= with 400', async () => {
    const missing = await get('/datasets/nothing-here', { accept: BROWSER });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ type: 'urn:katalog:problem:not-found' });
    const shape = await get('/profiles/dcat-ap-no?shape=NoSuchShape', { accept: BROWSER });
    expect(shape.statusCode).toBe(404);
    const lang = await get('/datasets/enhetsregisteret?lang=de', { accept: BROWSER });
    expect(lang.statusCode).toBe(400);
    expect(lang.json()).toMatchObject({ type: 'urn:katalog:problem:invalid-request' });
  });

  it('sends a page with ETag, answers 304 to it, and tags each language and each state apart', async () => {
    const url = '/datasets/enhetsregisteret';
    const first = await get(url, { accept: BROWSER });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await get(url, { accept: BROWSER, 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const english = await get(`${url}?lang=en`, { accept: BROWSER });
    expect(english.headers.etag).not.toBe(etag);
    expect(etag).not.toBe((await get(url)).headers.etag);
  });
});

describe('what a page says', () => {
  const page = async (url: string, headers: Record<string, string> = {}) => {
    const response = await get(url, { accept: BROWSER, ...headers });
    expect(response.statusCode, url).toBe(200);
    return { response, html: parseHtml(response.body) };
  };
  const main = (html: HtmlElement) => byTag(html, 'main')[0]!;

  it('is written in the language asked for: ?lang=, else Accept-Language, else bokmål', async () => {
    expect(attribute((await page('/datasets/enhetsregisteret')).html, 'lang')).toBe('nb');
    expect(attribute((await page('/datasets/enhetsregisteret', { 'accept-language': 'nn-NO, en;q=0.5' })).html, 'lang')).toBe('nn');
    const { response, html } = await page('/datasets/enhetsregisteret?lang=en');
    expect(attribute(html, 'lang')).toBe('en');
    expect(response.headers['content-language']).toBe('en');
    const h1 = byTag(html, 'h1')[0]!;
    expect(textOf(h1)).toBe('The Central Coordinating Register for Legal Entities');
    expect(languageOf(byTag(h1, 'span')[0]!)).toBe('en');
    // A text the record has only in bokmål keeps its language on an English page.
    const description = elements(main(html)).find((e) => attribute(e, 'class') === 'description')!;
    expect(attribute(description, 'lang')).toBe('nb');
    // The language switch keeps the page and names each language in its own language.
    const switches = byTag(html, 'a').filter((a) => attribute(a, 'hreflang'));
    expect(switches.map((a) => [attribute(a, 'lang'), attribute(a, 'href')])).toEqual([
      ['nb', '/datasets/enhetsregisteret?lang=nb'],
      ['nn', '/datasets/enhetsregisteret?lang=nn'],
      ['en', '/datasets/enhetsregisteret?lang=en'],
    ]);
  });

  it('shows themes, formats and the publisher by their labels, links the publisher to its records and related records to their pages', async () => {
    const { html } = await page('/datasets/enhetsregisteret?lang=en');
    const links = byTag(main(html), 'a').map((a) => ({ text: textOf(a), href: attribute(a, 'href') }));
    expect(links).toContainEqual({ text: 'Economy and finance', href: 'http://publications.europa.eu/resource/authority/data-theme/ECON' });
    expect(links).toContainEqual({ text: 'CSV', href: 'http://publications.europa.eu/resource/authority/file-type/CSV' });
    expect(links).toContainEqual({ text: 'Brønnøysundregistrene', href: '/search?publisher=974760673' });
    expect(links).toContainEqual({ text: 'Årsregnskap', href: '/dataset-series/arsregnskap' });
    expect(links).toContainEqual({ text: 'opendata@brreg.no', href: 'mailto:opendata@brreg.no' });
    // No bare IRI where a label exists.
    expect(links.filter((l) => l.text.startsWith('http://publications.europa.eu/'))).toEqual([]);
  });

  it('links the six RDF syntaxes as alternates and downloads, and embeds schema.org JSON-LD of the right type', async () => {
    const types: Record<string, string> = {
      '/catalogs/brreg': 'DataCatalog',
      '/datasets/enhetsregisteret': 'Dataset',
      '/dataset-series/arsregnskap': 'Dataset',
      '/data-services/enhetsregisteret-api': 'WebAPI',
      '/services/registrere-foretak': 'GovernmentService',
      '/events/starte-bedrift': 'Thing',
    };
    for (const url of RECORDS) {
      const { html } = await page(url);
      const alternates = byTag(html, 'link').filter((l) => attribute(l, 'rel') === 'alternate');
      expect(alternates.map((l) => attribute(l, 'type')).sort(), url).toEqual([...RDF_TYPES].sort());
      for (const link of alternates) {
        const response = await get(attribute(link, 'href')!);
        expect(response.headers['content-type'], `${url} ${attribute(link, 'type')}`).toMatch(new RegExp(`^${attribute(link, 'type')!.replace('+', '\\+')}`));
      }
      const blocks = byTag(html, 'script');
      expect(blocks.map((s) => attribute(s, 'type'))).toEqual(['application/ld+json']);
      const described = JSON.parse(textOf(blocks[0]!)) as Record<string, unknown>;
      expect(described, url).toMatchObject({ '@context': 'https://schema.org', '@type': types[url], url: `http://katalog.test${url}` });
      expect(described.name).toBe(textOf(byTag(html, 'h1')[0]!));
    }
  });

  it("shows a record's validation status against its default profile, with the messages to fix", async () => {
    const { html } = await page('/data-services/enhetsregisteret-api?lang=en');
    const section = elements(main(html)).find((e) => attribute(e, 'aria-labelledby') === 'validation')!;
    expect(textOf(section)).toMatch(/profile dcat-ap-no/);
    const rows = byTag(section, 'tbody').flatMap((b) => byTag(b, 'tr'));
    expect(rows.length).toBeGreaterThan(0);
    const rule = byTag(rows[0]!, 'a')[0]!;
    expect(attribute(rule, 'href')).toMatch(/^\/profiles\/dcat-ap-no\?shape=\w+#shape-\w+$/);
    expect((await get(attribute(rule, 'href')!.split('#')[0]!, { accept: BROWSER })).statusCode).toBe(200);
  });

  it('lists a catalogue with its records, and a search with facets as links with counts, and paging', async () => {
    const catalogue = main((await page('/catalogs/brreg')).html);
    expect(byTag(catalogue, 'a').map((a) => attribute(a, 'href'))).toContain('/datasets/enhetsregisteret');
    const search = main((await page('/search?pageSize=2')).html);
    const facetLinks = byTag(byTag(search, 'aside')[0]!, 'a');
    expect(facetLinks.length).toBeGreaterThan(0);
    expect(textOf(byTag(search, 'aside')[0]!)).toMatch(/\(\d+\)/);
    const next = byTag(search, 'a').find((a) => attribute(a, 'rel') === 'next');
    expect(attribute(next!, 'href')).toMatch(/^\/search\?.*cursor=/);
    const second = await get(attribute(next!, 'href')!, { accept: BROWSER });
    expect(second.statusCode).toBe(200);
    // Choosing a facet value filters the hits; the chosen value is marked and can be removed.
    const theme = facetLinks.find((a) => attribute(a, 'href')!.includes('theme='))!;
    const filtered = main((await page(attribute(theme, 'href')!)).html);
    expect(byTag(filtered, 'a').some((a) => attribute(a, 'aria-current') === 'true')).toBe(true);
  });

  it('reads an empty form field as no filter, and keeps a chosen language in the menu', async () => {
    const { html } = await page('/search?q=enhet&kind=&sort=relevance&lang=en');
    expect(attribute(html, 'lang')).toBe('en');
    const menu = byTag(byTag(html, 'header')[0]!, 'a').map((a) => attribute(a, 'href'));
    expect(menu).toContain('/catalog?lang=en');
    expect(menu).toContain('/validate?lang=en');
    const unchosen = byTag((await page('/search')).html, 'header')
      .flatMap((h) => byTag(h, 'a'))
      .map((a) => attribute(a, 'href'));
    expect(unchosen).toContain('/catalog');
  });

  it("names an event facet's values by the event's title, not its IRI", async () => {
    const { html } = await page('/services?lang=en');
    const facets = textOf(byTag(html, 'aside')[0]!);
    expect(facets).toContain('Starte og drive en bedrift');
    expect(facets).not.toContain('http://katalog.test/events/');
  });

  it('keeps every page under 100 KB', async () => {
    for (const url of ALL_PAGES) {
      for (const lang of ['nb', 'nn', 'en']) {
        const response = await get(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`, { accept: BROWSER });
        expect(response.rawPayload.length, `${url} ${lang}`).toBeLessThan(100 * 1024);
      }
    }
  });
});

describe('the validator page', () => {
  const post = (body: ReturnType<typeof form>, query = '') => t.app.inject({ method: 'POST', url: `/validate${query}`, ...body });

  it('shows the same results as POST /validate, grouped by record, with severities, messages and rule links', async () => {
    const response = await post(form({ text: INVALID_DATASET, syntax: 'turtle', profile: '' }), '?lang=en');
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const api = await t.app.inject({
      method: 'POST',
      url: '/validate',
      payload: INVALID_DATASET,
      headers: { 'content-type': 'text/turtle', 'accept-language': 'en' },
    });
    const report = api.json() as { records: Array<{ results: Array<{ message: string; severity: string }> }> };
    const html = parseHtml(response.body);
    const rows = byTag(html, 'tbody').flatMap((b) => byTag(b, 'tr'));
    const messages = rows.map((r) => textOf(byTag(r, 'td')[1]!));
    expect(messages.sort()).toEqual(report.records[0]!.results.map((r) => r.message).sort());
    expect(rows.filter((r) => textOf(byTag(r, 'td')[0]!) === 'Violation').length).toBe(
      report.records[0]!.results.filter((r) => r.severity === 'Violation').length,
    );
    expect(textOf(html)).toContain('http://x.test/d');
    // The text sent is shown again in the form, for the publisher to fix.
    expect(textOf(byTag(html, 'textarea')[0]!)).toBe(INVALID_DATASET);
  });

  it('validates an uploaded file in the syntax its name says, against the profile chosen', async () => {
    const jsonld = JSON.stringify({ '@id': 'http://x.test/s', '@type': 'http://purl.org/vocab/cpsv#PublicService' });
    const response = await post(form({ text: '', syntax: '', profile: 'cpsv-ap-no' }, { name: 'service.jsonld', content: jsonld }));
    expect(response.statusCode).toBe(422);
    expect(textOf(parseHtml(response.body))).toMatch(/cpsv-ap-no/);
  });

  it('shows at most 100 results, violations first, and counts the rest (the page stays under 100 KB)', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `<http://x.test/d${i}> a dcat:Dataset ; dct:title "D${i}"@nb .`).join('\n');
    const text = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n${many}`;
    const response = await post(form({ text, syntax: 'turtle', profile: '' }));
    expect(response.statusCode).toBe(422);
    expect(response.rawPayload.length).toBeLessThan(100 * 1024);
    const html = parseHtml(response.body);
    const rows = byTag(html, 'tbody').flatMap((b) => byTag(b, 'tr'));
    expect(rows.length).toBe(100);
    const api = await t.app.inject({ method: 'POST', url: '/validate', payload: text, headers: { 'content-type': 'text/turtle' } });
    const { counts } = api.json() as { counts: { violations: number; warnings: number; info: number } };
    const total = counts.violations + counts.warnings + counts.info;
    expect(textOf(html)).toContain(`${total - 100} merknader til er ikke vist her`);
    // Each group's violations come before its warnings.
    const severities = rows.map((r) => textOf(byTag(r, 'td')[0]!));
    expect(severities[0]).toBe('Brudd');
  });

  it('shows a long pasted text again only as a note', async () => {
    const text = `${INVALID_DATASET}\n# ${'<'.repeat(9000)}`;
    const response = await post(form({ text, syntax: 'turtle', profile: '' }));
    expect(response.statusCode).toBe(422);
    expect(textOf(byTag(parseHtml(response.body), 'textarea')[0]!)).toBe('');
    expect(response.rawPayload.length).toBeLessThan(100 * 1024);
  });

  it('says when a document conforms', async () => {
    const response = await post(form({ text: '<http://x.test/a> <http://x.test/b> "c" .', syntax: 'ntriples', profile: 'dcat-ap-no' }));
    expect(response.statusCode).toBe(200);
  });

  it('shows a syntax error with its line and column, and refuses an empty form, an unknown profile and an over-long field', async () => {
    const before = await t.store.count();
    const syntax = await post(form({ text: '@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title "x" ,, .', syntax: 'turtle', profile: '' }));
    expect(syntax.statusCode).toBe(400);
    expect(textOf(byTag(parseHtml(syntax.body), 'main')[0]!)).toMatch(/line 2/);
    expect((await post(form({ text: '  ', syntax: 'turtle', profile: '' }))).statusCode).toBe(400);
    expect((await post(form({ text: INVALID_DATASET, syntax: 'turtle', profile: 'nope' }))).statusCode).toBe(404);
    const small = await buildTestApp(join(FIXTURES, 'http'), { env: { BODY_LIMIT: '2048' } });
    try {
      const big = await small.app.inject({
        method: 'POST',
        url: '/validate',
        ...form({ text: `# ${'x'.repeat(4096)}\n${INVALID_DATASET}`, syntax: 'turtle' }),
      });
      expect(big.statusCode).toBe(413);
      const file = await small.app.inject({ method: 'POST', url: '/validate', ...form({}, { name: 'big.ttl', content: `# ${'x'.repeat(4096)}` }) });
      expect(file.statusCode).toBe(413);
    } finally {
      await small.close();
    }
    expect(await t.store.count()).toBe(before);
  });
});

describe('after a write', () => {
  it('tags the pages anew: a page may show what any record says (a linked title)', async () => {
    const url = '/datasets/enhetsregisteret';
    const etag = String((await get(url, { accept: BROWSER })).headers.etag);
    await t.store.delete('http://katalog.test/events/starte-bedrift');
    const after = await get(url, { accept: BROWSER, 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });
});

describe('a record larger than any page', () => {
  let big: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'katalog-pages-'));
  beforeAll(async () => {
    const properties = Array.from({ length: 1500 }, (_, i) => `<http://x.test/p${i}> "${'<'.repeat(4000)}"`).join(' ;\n  ');
    const keywords = Array.from({ length: 2000 }, (_, i) => `"ord ${i} ${'&'.repeat(200)}"@nb`).join(', ');
    // 120 catalogues with long titles and descriptions of characters HTML escapes, each listing the dataset.
    const catalogues = Array.from(
      { length: 120 },
      (_, i) =>
        `<catalogs/c${i}> a dcat:Catalog ; dct:title "${i} ${'<'.repeat(1500)}"@nb ; dct:description "${'&'.repeat(1500)}"@nb ; dcat:dataset <datasets/big> .`,
    ).join('\n');
    writeFileSync(
      join(dir, 'big.ttl'),
      `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<datasets/big> a dcat:Dataset ; dct:title "${'"'.repeat(0)}Stor"@nb ; dct:description "${'<'.repeat(50000)}"@nb ;
  dcat:keyword ${keywords} ;
  ${properties} .
${catalogues}`,
    );
    big = await buildTestApp(dir);
  });
  afterAll(async () => {
    await big.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a page under 100 KB that says not everything is shown', async () => {
    for (const lang of ['nb', 'en']) {
      const response = await big.app.inject({ url: `/datasets/big?lang=${lang}`, headers: { accept: BROWSER } });
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.length).toBeLessThan(100 * 1024);
      const html = parseHtml(response.body);
      expect(textOf(html)).toContain(lang === 'nb' ? 'Ikke alt i beskrivelsen vises her' : 'Not everything in the description is shown here');
      expect(JSON.parse(textOf(byTag(html, 'script')[0]!))).toMatchObject({ '@type': 'Dataset', name: 'Stor' });
    }
  });

  it('keeps lists of long titles, and a search whose every facet link repeats a long query, under 100 KB; a longer address is refused', async () => {
    const long = encodeURIComponent('<'.repeat(100));
    const filters = Array.from({ length: 100 }, (_, i) => `keyword=k${i}`).join('&');
    for (const url of ['/catalog', '/search?pageSize=100', '/catalogs?pageSize=100', `/search?q=${long}&${filters}`.slice(0, 2048), '/catalogs/c1']) {
      const response = await big.app.inject({ url, headers: { accept: BROWSER } });
      expect(response.statusCode, url).toBe(200);
      expect(response.rawPayload.length, url).toBeLessThan(100 * 1024);
    }
    const longer = await big.app.inject({ url: `/search?q=${'a'.repeat(2100)}`, headers: { accept: BROWSER } });
    expect(longer.statusCode).toBe(400);
    expect(longer.json()).toMatchObject({ type: 'urn:katalog:problem:invalid-request' });
  });
});

describe('XSS: markup in every field renders inert', () => {
  let x: TestApp;
  beforeAll(async () => {
    x = await buildTestApp(join(FIXTURES, 'pages'));
  });
  afterAll(() => x.close());

  const URLS = [
    '/',
    '/catalog',
    '/catalogs/markup',
    '/catalogs/plain',
    '/datasets/markup',
    '/data-services/markup',
    '/services/markup',
    '/events/markup',
    '/search',
    '/search?q=script',
    '/datasets',
  ];

  it.each(URLS)('%s: no script, no handler, no script link, every text as text', async (url) => {
    for (const lang of ['nb', 'en']) {
      const response = await x.app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`, headers: { accept: BROWSER } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
      const html = parseHtml(response.body);
      const all = elements(html);
      for (const element of all) {
        for (const { name, value } of element.attrs) {
          expect(name, `${url}: <${element.tagName} ${name}>`).not.toMatch(/^on/i);
          if (['href', 'src', 'action', 'formaction'].includes(name)) expect(value, url).not.toMatch(/^\s*(javascript|vbscript|data):/i);
        }
      }
      const scripts = all.filter((e) => e.tagName === 'script');
      expect(scripts.map((s) => attribute(s, 'type'))).toEqual(scripts.length ? ['application/ld+json'] : []);
      for (const script of scripts) JSON.parse(textOf(script));
      const main = byTag(html, 'main')[0]!;
      expect(
        elements(main)
          .filter((e) => ['img', 'iframe', 'svg', 'style', 'marquee', 'b', 'script'].includes(e.tagName))
          .map((e) => e.tagName),
      ).toEqual([]);
    }
  });

  it('shows the markup of a title as its text, in the page and in schema.org', async () => {
    const response = await x.app.inject({ url: '/datasets/markup', headers: { accept: BROWSER } });
    const html = parseHtml(response.body);
    expect(textOf(byTag(html, 'h1')[0]!)).toBe("<script>alert('title')</script></script><!--");
    const described = JSON.parse(textOf(byTag(html, 'script')[0]!)) as { name: string; identifier: string };
    expect(described.name).toBe("<script>alert('title')</script></script><!--");
    expect(textOf(html)).toContain(`"><img src=x onerror=alert('publisher')>`);
  });
});
