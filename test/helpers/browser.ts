import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type axe from 'axe-core';
import type { FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';

/**
 * The browser tests (test/browser) drive Debian's Chromium through puppeteer-core: the pages for
 * people (docs/pages.md) as a browser renders them, checked by axe-core and by keyboard. No browser
 * is ever downloaded: without /usr/bin/chromium (CI installs it, .ci/run) the tests are skipped.
 */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether this machine has the browser: tests use `describe.skipIf(!BROWSER)`. */
export const BROWSER = existsSync(CHROMIUM);

if (!BROWSER) console.warn(`\nChromium: no ${CHROMIUM}: the browser tests (test/browser) are SKIPPED. Install it with: apt-get install chromium\n`);

export interface TestBrowser {
  browser: Browser;
  /** Closes the browser and removes its profile folder. */
  close: () => Promise<void>;
}

/** One headless Chromium with a fresh, throwaway profile; nothing of it talks to the network but to the test server. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'katalog-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // puppeteer-core 25: `true` is Chrome's (new) headless mode; the flag is given below as well.
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** axe-core's script (the package's minified build: the same code as `axe.source`, parsed in half the time). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * A tab that fails fast (10 s for a navigation or a wait, not puppeteer's 30 s) and asks the
 * server every time (no 304 from the browser's cache, which the tabs share).
 * `axe`: every page the tab opens gets axe-core before anything else runs. The pages send
 * `Content-Security-Policy: default-src 'none'`, which refuses any script a test adds to the page
 * (a `<script>` element, as page.addScriptTag makes) and could hinder axe's own work, so this tab
 * bypasses the pages' CSP (set before any navigation: it holds for every page the tab opens).
 * A tab that checks that the policy refuses nothing and that no script runs must not have `axe`.
 */
export async function newTab(browser: Browser, options: { axe?: boolean; headers?: Record<string, string> } = {}): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  await page.setCacheEnabled(false);
  if (options.axe) {
    await page.setBypassCSP(true);
    // Once for the tab, not per page: sending and adding the script anew to every page costs more than the check.
    await page.evaluateOnNewDocument(AXE_SOURCE);
  }
  if (options.headers) await page.setExtraHTTPHeaders(options.headers);
  return page;
}

/** The test app as a real HTTP server on a free local port; its base URL. */
export async function serve(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Opens `url` in `page`, and the response of it (which must be there: a page load, not a fragment link). */
export async function open(page: Page, url: string): Promise<HTTPResponse> {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response) throw new Error(`No response for ${url}`);
  return response;
}

/** Clicks `selector` and waits for the page it leads to. */
export async function follow(page: Page, selector: string): Promise<HTTPResponse> {
  // A click reaches only the tab in front (a tab behind gets no mouse events in headless Chromium).
  await page.bringToFront();
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  if (!response) throw new Error(`Clicking ${selector} opened no page`);
  return response;
}

/**
 * Activates `selector` with the keyboard (focus, Enter: a link is followed, a form submitted) and
 * waits for the page it leads to. Unlike a click this works in a tab that is not in front.
 */
export async function activate(page: Page, selector: string): Promise<HTTPResponse> {
  await page.focus(selector);
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  if (!response) throw new Error(`Activating ${selector} opened no page`);
  return response;
}

/** The WCAG 2.0 and 2.1 levels A and AA: the rules every page is held to. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  /** The elements, as CSS selectors, with axe's summary of what is wrong with each. */
  nodes: Array<{ target: string; summary: string }>;
}

/**
 * Runs axe-core in the page as it is now, with the WCAG A/AA rules only, and answers its
 * violations. The page should be open in a tab made with `newTab(browser, { axe: true })`; in
 * another tab axe is added now.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const options: axe.RunOptions = { runOnly: { type: 'tag', values: WCAG_TAGS }, resultTypes: ['violations'] };
  // A string, not a function: the project is type-checked without the DOM library.
  const result = (await page.evaluate(`window.axe.run(document, ${JSON.stringify(options)})`)) as axe.AxeResults;
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary ?? '' })),
  }));
}

/** Violations as an assertion message a person can act on: rule, impact, help, and every element. */
export function formatViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no axe violations`;
  const lines = violations.flatMap((v) => [
    `${where}: ${v.id} (${v.impact ?? 'no impact'}): ${v.help}`,
    ...v.nodes.map((n) => `    ${n.target}${n.summary ? `\n      ${n.summary.replace(/\n/g, '\n      ')}` : ''}`),
  ]);
  return lines.join('\n');
}

/**
 * The little of the DOM that functions run in the page (page.evaluate) use. The project is
 * type-checked without the DOM library (it is a server), so such a function reads
 * `(globalThis as unknown as InPage).document`, which is plain `globalThis.document` in the browser.
 */
export interface InPage {
  document: {
    documentElement: PageElement;
    body: PageElement;
    activeElement: PageElement | null;
    scripts: ArrayLike<PageElement & { type: string }>;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
  location: { href: string; hash: string };
}

export interface PageElement {
  tagName: string;
  id: string;
  lang: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getAttributeNames(): string[];
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  setAttribute(name: string, value: string): void;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  checkVisibility(): boolean;
  value?: string;
}
