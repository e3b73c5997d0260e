/**
 * A person's way through the pages in a real browser (docs/pages.md): from the start page a search,
 * a record, its publisher's records, the pages in English, and a file checked by the validator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BROWSER, follow, type InPage, launchBrowser, newTab, open, serve, type TestBrowser } from '../helpers/browser.js';
import { FIXTURES } from '../helpers/fixtures.js';

/** A dataset file without the title and the description its profile requires. */
const INVALID_FILE = '@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<http://x.test/d> a dcat:Dataset .\n';

describe.skipIf(!BROWSER)('the pages in a browser: a way through them', () => {
  let t: TestApp;
  let chromium: TestBrowser;
  let base: string;
  let tab: Page;
  let folder: string;

  beforeAll(async () => {
    [t, chromium] = await Promise.all([buildTestApp(join(FIXTURES, 'http')), launchBrowser()]);
    base = await serve(t.app);
    // A reader whose browser asks for Norwegian.
    tab = await newTab(chromium.browser, { headers: { 'accept-language': 'nb-NO,nb;q=0.9,en;q=0.5' } });
    folder = mkdtempSync(join(tmpdir(), 'katalog-upload-'));
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** What the page shows: its language, its main heading, the hits listed (title, meta line). */
  const shown = () =>
    tab.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const text = (e: { textContent: string | null } | null | undefined) => (e?.textContent ?? '').trim().replace(/\s+/g, ' ');
      return {
        lang: document.documentElement.lang,
        h1: text(document.querySelector('h1')),
        hits: Array.from(document.querySelectorAll('.hits > li')).map((li) => ({ title: text(li.querySelector('a')), meta: text(li.querySelector('.meta')) })),
      };
    });

  it('searches from the start page, opens a hit, lists its publisher, switches to English, and validates a file', async () => {
    // The start page, in the reader's language.
    expect((await open(tab, `${base}/`)).status()).toBe(200);
    expect(await shown()).toMatchObject({ lang: 'nb', h1: 'Katalog' });

    // A search typed into the search box.
    await tab.type('#q', 'enhetsregisteret');
    expect((await follow(tab, 'form[role="search"] button[type="submit"]')).status()).toBe(200);
    expect(new URL(tab.url()).searchParams.get('q')).toBe('enhetsregisteret');
    const results = await shown();
    expect(results.h1).toBe('Søk');
    expect(results.hits.map((h) => h.title)).toContain('Enhetsregisteret');

    // The first hit.
    const first = results.hits[0]!;
    expect((await follow(tab, '.hits > li a')).status()).toBe(200);
    expect((await shown()).h1).toBe(first.title);

    // Its publisher: the search for the publisher's records.
    const publisher = await tab.$eval('.properties a[href^="/search?publisher="]', (a) => a.getAttribute('href'));
    expect(publisher).toBe('/search?publisher=974760673');
    expect((await follow(tab, `.properties a[href="${publisher}"]`)).status()).toBe(200);
    const listed = await shown();
    expect(new URL(tab.url()).pathname + new URL(tab.url()).search).toBe(publisher);
    expect(listed.hits.length).toBeGreaterThanOrEqual(5);
    for (const hit of listed.hits) expect(hit.meta, hit.title).toContain('Brønnøysundregistrene');
    expect(listed.hits.map((h) => h.title)).toEqual(expect.arrayContaining(['Enhetsregisteret', 'Årsregnskap', 'Enhetsregisterets API']));
    // The dataset without a publisher is not one of them.
    expect(listed.hits.map((h) => h.title)).not.toContain('Et datasett ingen katalog lister');

    // The language menu: the same search in English.
    expect((await follow(tab, 'nav.languages a[hreflang="en"]')).status()).toBe(200);
    const english = await shown();
    expect(english).toMatchObject({ lang: 'en', h1: 'Search' });
    expect(new URL(tab.url()).searchParams.get('publisher')).toBe('974760673');
    expect(english.hits.map((h) => h.title)).toEqual(expect.arrayContaining(['The Central Coordinating Register for Legal Entities']));
    expect(english.hits).toHaveLength(listed.hits.length);

    // The validator, from the menu, still in English, with a file that breaks the profile.
    expect((await follow(tab, 'header nav:not(.languages) a[href^="/validate"]')).status()).toBe(200);
    expect((await shown()).lang).toBe('en');
    const file = join(folder, 'dataset.ttl');
    writeFileSync(file, INVALID_FILE);
    const input = await tab.$('#file');
    await input!.uploadFile(file);
    expect((await follow(tab, 'form.validator button[type="submit"]')).status()).toBe(422);
    const report = await tab.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const cells = (row: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }) =>
        Array.from(row.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim());
      return {
        lang: document.documentElement.lang,
        summary: (document.querySelector('#report ~ p.bad, section[aria-labelledby="report"] > p.bad')?.textContent ?? '').trim(),
        violations: Array.from(document.querySelectorAll('tr.violation')).map(cells),
      };
    });
    expect(report.lang).toBe('en');
    expect(report.summary).toMatch(/^[1-9]\d* violations?/);
    expect(report.violations.length).toBeGreaterThan(0);
    for (const [property, severity, message] of report.violations) {
      expect(property).not.toBe('');
      expect(severity).toBe('Violation');
      expect(message!.length, 'a message for a person').toBeGreaterThan(10);
    }
    // The missing title is one of them.
    expect(report.violations.map((row) => row[0])).toContain('dct:title');
  }, 30_000);
});
