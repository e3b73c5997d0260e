/**
 * The pages for people (docs/pages.md) in a real browser: every kind of page, in Norwegian and in
 * English, has no WCAG 2.1 A/AA violation axe-core can find, marks the language of every text it
 * shows, runs no script, and can be used with the keyboard alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'n3';
import type { HTTPResponse, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  activate,
  axeViolations,
  BROWSER,
  formatViolations,
  type InPage,
  launchBrowser,
  newTab,
  open,
  type PageElement,
  serve,
  type TestBrowser,
} from '../helpers/browser.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE } from '../helpers/graphs.js';

const LANGUAGES = ['nb', 'en'] as const;
type Lang = (typeof LANGUAGES)[number];

/** A dataset without the title and the description its profile requires. */
const INVALID_DATASET = '@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.test/d> a dcat:Dataset .';

/** Every text of the fixture that has a language tag, by its text (texts written in two languages are left out). */
const TAGGED_TEXTS: Record<string, string> = (() => {
  const texts: Record<string, string> = {};
  const ambiguous = new Set<string>();
  const file = join(FIXTURES, 'http', 'catalog.ttl');
  for (const q of new Parser({ baseIRI: `${TEST_BASE}/` }).parse(readFileSync(file, 'utf8'))) {
    if (q.object.termType !== 'Literal' || !q.object.language) continue;
    const text = q.object.value.trim();
    if (texts[text] !== undefined && texts[text] !== q.object.language) ambiguous.add(text);
    texts[text] = q.object.language;
  }
  for (const text of ambiguous) delete texts[text];
  return texts;
})();

describe.skipIf(!BROWSER)('the pages in a browser: accessibility', () => {
  let t: TestApp;
  let chromium: TestBrowser;
  let base: string;
  /** The tab axe runs in: it bypasses the pages' CSP so that axe can be added (see newTab). */
  let tab: Page;
  /**
   * Per language, the tabs the pages are checked in, both languages at once: one with axe (`tab`
   * is nb's), and one that keeps the pages' CSP, to see that it refuses nothing and that no script
   * runs, with what its pages said (console messages, errors, failed requests).
   */
  const tabs = {} as Record<Lang, { axe: Page; strict: Page; heard: string[] }>;

  beforeAll(async () => {
    [t, chromium] = await Promise.all([buildTestApp(join(FIXTURES, 'http')), launchBrowser()]);
    base = await serve(t.app);
    for (const lang of LANGUAGES) {
      const [axe, strict] = await Promise.all([newTab(chromium.browser, { axe: true }), newTab(chromium.browser)]);
      const heard: string[] = [];
      // The browser asks for /favicon.ico by itself (no page names one): its 404 is not the page's.
      strict.on('console', (m) => void (m.location().url?.endsWith('/favicon.ico') || heard.push(`console ${m.type()}: ${m.text()}`)));
      strict.on('pageerror', (e) => heard.push(`page error: ${String(e)}`));
      strict.on('requestfailed', (r) => heard.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      tabs[lang] = { axe, strict, heard };
    }
    tab = tabs.nb.axe;
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  /** `path` in `lang`, on the test server. */
  const at = (path: string, lang: Lang) => `${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;

  /** Each kind of page, and how a person gets to it (a string: the page's URL), and its status. */
  const PAGES: Array<[string, string | ((page: Page, lang: Lang) => Promise<HTTPResponse>), number?]> = [
    ['the start page', '/'],
    ['the list of catalogues', '/catalog'],
    ['a catalogue', '/catalogs/brreg'],
    ['a dataset', '/datasets/enhetsregisteret'],
    ['a dataset series', '/dataset-series/arsregnskap'],
    ['a data service', '/data-services/enhetsregisteret-api'],
    ['a public service', '/services/registrere-foretak'],
    ['an event', '/events/starte-bedrift'],
    [
      'a search with a query and a chosen filter',
      async (page, lang) => {
        await open(page, at('/search?q=enhetsregisteret', lang));
        return activate(page, '.facets a[href*="publisher="]');
      },
    ],
    ['the list of one kind', '/datasets'],
    ['the profiles', '/profiles'],
    ['a profile', '/profiles/dcat-ap-no'],
    ['a shape of a profile', '/profiles/dcat-ap-no?shape=DatasetShape'],
    ['the vocabularies', '/vocabularies'],
    ['a vocabulary', '/vocabularies/data-theme'],
    ['the validator', '/validate'],
    [
      'a validation report with violations',
      async (page, lang) => {
        await open(page, at('/validate', lang));
        await page.$eval('#text', (e, text) => void ((e as unknown as PageElement).value = text), INVALID_DATASET);
        return activate(page, 'form.validator button[type="submit"]');
      },
      422,
    ],
  ];

  const visit = async (page: Page, how: (typeof PAGES)[number][1], lang: Lang) => (typeof how === 'string' ? open(page, at(how, lang)) : how(page, lang));

  /** The page in the axe tab: its status, axe's violations, its language, the texts marked with another language. */
  const checkedWithAxe = async (how: (typeof PAGES)[number][1], lang: Lang) => {
    const page = tabs[lang].axe;
    const response = await visit(page, how, lang);
    return {
      status: response.status(),
      violations: await axeViolations(page),
      lang: await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.lang),
      wronglyMarked: (await languagesOfTexts(page)).wrong,
    };
  };

  /** The page in the strict tab: its status, what it said, and what could run in it. */
  const checkedStrictly = async (how: (typeof PAGES)[number][1], lang: Lang) => {
    const { strict, heard } = tabs[lang];
    heard.length = 0;
    const response = await visit(strict, how, lang);
    const found = await strict.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const elements = Array.from(document.querySelectorAll('*'));
      return {
        scripts: Array.from(document.scripts).map((s) => s.type),
        handlers: elements.flatMap((e) => e.getAttributeNames().filter((a) => a.toLowerCase().startsWith('on'))),
        javascriptLinks: elements.filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('action') ?? '')).length,
        // The stylesheet applies (the policy allows it): the skip link is out of sight.
        styled: (document.querySelector('.skip')?.getBoundingClientRect().left ?? 0) < 0,
      };
    });
    const status = response.status();
    // A 422 page is the answer, not a failure, though the browser says it as an error.
    const said = heard.filter((m) => status === 200 || !m.includes(`status of ${status}`));
    return { status, ...found, heard: said };
  };

  it.each(PAGES)(
    '%s, in nb and en: no axe violation (WCAG 2.1 A and AA), every text in its language, no script',
    async (name, how, status = 200) => {
      // Four tabs at once: the page in both languages, with axe and with the page's own policy.
      const results = await Promise.all(LANGUAGES.map((lang) => Promise.all([checkedWithAxe(how, lang), checkedStrictly(how, lang)])));
      for (const [i, [checked, strictly]] of results.entries()) {
        const lang = LANGUAGES[i]!;
        const where = `${name} (${lang})`;
        expect(checked.status, where).toBe(status);
        expect(checked.violations, formatViolations(where, checked.violations)).toEqual([]);
        expect(checked.lang, where).toBe(lang);
        expect(checked.wronglyMarked, `${where}: texts of the RDF not marked with their language`).toEqual([]);
        expect(strictly, `${where}: with the page's own CSP`).toEqual({
          status,
          scripts: strictly.scripts.filter((type) => type === 'application/ld+json'),
          handlers: [],
          javascriptLinks: 0,
          styled: true,
          heard: [],
        });
      }
    },
    30_000,
  );

  it('marks a Norwegian-only text on an English page as Norwegian', async () => {
    await open(tab, at('/datasets/enhetsregisteret', 'en'));
    const marked = await tab.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const description = document.querySelector('.description');
      const h1 = document.querySelector('h1 [lang]');
      return {
        page: document.documentElement.lang,
        description: [description?.closest('[lang]')?.getAttribute('lang'), description?.textContent?.trim()],
        title: [h1?.getAttribute('lang'), h1?.textContent?.trim()],
      };
    });
    expect(marked).toEqual({
      page: 'en',
      description: ['nb', 'Opplysninger om alle enheter registrert i Enhetsregisteret.'],
      title: ['en', 'The Central Coordinating Register for Legal Entities'],
    });
    // The check of every page finds the texts of the RDF (keywords, the publisher's name, the series' title, ...).
    const texts = await languagesOfTexts(tab);
    expect(texts.wrong).toEqual([]);
    expect(texts.checked).toBeGreaterThanOrEqual(6);
  });

  describe('with the keyboard alone', () => {
    it.each([
      ['the search page', '/search?q=enhetsregisteret&publisher=974760673'],
      ['the validator', '/validate'],
    ])('%s: Tab reaches every link and control, the skip link first', async (_name, path) => {
      await open(tab, at(path, 'en'));
      const controls = await markControls(tab);
      expect(controls.length).toBeGreaterThan(5);
      const reached = new Set<number>();
      const order: string[] = [];
      for (let presses = 0; presses < 200 && reached.size < controls.length; presses++) {
        await tab.keyboard.press('Tab');
        const at = await tab.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.getAttribute('data-control') ?? null);
        if (at === null) continue;
        reached.add(Number(at));
        order.push(controls[Number(at)]!);
      }
      const missing = controls.filter((_c, i) => !reached.has(i));
      expect(missing, `not reached with Tab (reached, in order: ${order.join(' | ')})`).toEqual([]);
      expect(order[0]).toMatch(/^a\.skip\[href=#main\]/);
    });

    it.each([
      ['the search page', '/search?q=enhetsregisteret'],
      ['the validator', '/validate'],
    ])('%s: the skip link shows when focused and moves on to the main content', async (_name, path) => {
      await open(tab, at(path, 'nb'));
      await tab.keyboard.press('Tab');
      const focused = await tab.evaluate(() => {
        const { document } = globalThis as unknown as InPage;
        const e = document.activeElement;
        return { className: e?.getAttribute('class'), href: e?.getAttribute('href'), left: e?.getBoundingClientRect().left ?? -1 };
      });
      expect(focused).toMatchObject({ className: 'skip', href: '#main' });
      expect(focused.left, 'the focused skip link is in view').toBeGreaterThanOrEqual(0);
      await tab.keyboard.press('Enter');
      await tab.waitForFunction(() => (globalThis as unknown as InPage).location.hash === '#main');
      expect(await tab.evaluate(() => (globalThis as unknown as InPage).document.querySelector(':target')?.id)).toBe('main');
      // The next Tab goes on from the main content, not from the top of the page.
      await tab.keyboard.press('Tab');
      const next = await tab.evaluate(() => {
        const e = (globalThis as unknown as InPage).document.activeElement;
        return { inMain: !!e?.closest('main'), id: e?.id };
      });
      expect(next).toMatchObject({ inMain: true });
    });

    it('chooses a kind with the arrow keys and searches with Enter', async () => {
      await open(tab, at('/search', 'en'));
      await tab.focus('#kind');
      await tab.keyboard.press('ArrowDown');
      const chosen = await tab.evaluate(() => (globalThis as unknown as InPage).document.querySelector('#kind')?.value ?? '');
      expect(chosen).not.toBe('');
      await tab.focus('#q');
      await tab.keyboard.type('register');
      const [response] = await Promise.all([tab.waitForNavigation(), tab.keyboard.press('Enter')]);
      expect(response?.status()).toBe(200);
      const url = new URL(tab.url());
      expect(url.searchParams.get('kind')).toBe(chosen);
      expect(url.searchParams.get('q')).toBe('register');
      expect(await tab.evaluate(() => (globalThis as unknown as InPage).document.querySelector('#kind')?.value)).toBe(chosen);
    });
  });
});

/**
 * Gives every visible link and control of the page a number (`data-control`), and answers their
 * descriptions in that order.
 */
function markControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as InPage;
    const controls = Array.from(document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary'));
    return controls
      .filter((e) => e.checkVisibility())
      .map((e, i) => {
        e.setAttribute('data-control', String(i));
        const cls = e.getAttribute('class');
        const href = e.getAttribute('href');
        const text = (e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${cls ? `.${cls}` : ''}${href ? `[href=${href}]` : ''} "${text}"`;
      });
  });
}

/**
 * How many texts of the fixture (by TAGGED_TEXTS) the page shows, and those of them in an element
 * whose language (its own `lang`, or its nearest ancestor's) is not the text's: `text: tagged, marked`.
 */
function languagesOfTexts(page: Page): Promise<{ checked: number; wrong: string[] }> {
  return page.evaluate((texts: Record<string, string>) => {
    const { document } = globalThis as unknown as InPage;
    const wrong: string[] = [];
    let checked = 0;
    const own = (e: PageElement) => (e.textContent ?? '').trim();
    for (const e of Array.from(document.body.querySelectorAll('*'))) {
      const text = own(e);
      const tagged = texts[text];
      if (tagged === undefined) continue;
      // The innermost element that holds just this text.
      if (Array.from(e.querySelectorAll('*')).some((child) => own(child) === text)) continue;
      checked++;
      const marked = e.closest('[lang]')?.getAttribute('lang');
      if (marked !== tagged) wrong.push(`${text}: ${tagged}, ${marked}`);
    }
    return { checked, wrong };
  }, TAGGED_TEXTS);
}
