import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compactName, PAGE_LANGUAGES, type PageLanguage } from '../../catalog/property-labels.js';
import { KIND_LABELS } from '../../catalog/search.js';
import { FORMATS, negotiateSearchLanguage } from '../../core/media-types.js';
import { projectFile } from '../../project-files.js';
import { isNotModified } from '../etags.js';
import { fill, type Strings, stringsFor } from './strings.js';
import { qualityFiles } from '../../catalog/quality.js';

/**
 * Rendering and sending the pages for people (docs/pages.md): Eta templates with every value
 * escaped unless a template says otherwise (only the page body and the schema.org block, both
 * built here), one frame for every page, and the headers every page carries.
 */

export const PAGE_FOLDER = projectFile('src', 'http', 'pages');
const TEMPLATES = join(PAGE_FOLDER, 'templates');

/** What every page is sent with: no script runs, nothing is framed, forms post only here. */
export const PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const LANGUAGE_NAMES: Record<PageLanguage, string> = { nb: 'Bokmål', nn: 'Nynorsk', en: 'English' };

/** The stylesheet. */
export const STYLESHEET = readFileSync(join(PAGE_FOLDER, 'katalog.css'), 'utf8');

/**
 * A tag of everything that makes a page besides the store: the stylesheet, the templates, the code
 * that builds pages (this folder, the page routes, the models in catalog/, as they run: .ts or .js),
 * and the profiles' and vocabularies' lists. Another release that changes any of them makes other
 * pages, so it is part of every page's ETag and of the stylesheet's URL.
 */
function pagesTag(): string {
  const hash = createHash('sha256').update(STYLESHEET);
  const here = dirname(fileURLToPath(import.meta.url));
  const code = [
    ...readdirSync(here).map((name) => join(here, name)),
    ...[join(here, '..', 'routes'), join(here, '..', '..', 'catalog')].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => /^(pages|validator-pages|record-view|property-labels|schema-org|search)\.(ts|js)$/.test(name))
        .map((name) => join(dir, name)),
    ),
    ...readdirSync(TEMPLATES).map((name) => join(TEMPLATES, name)),
    projectFile('shapes', 'profiles.json'),
    projectFile('vocab', 'vocabularies.json'),
    // A dataset's page shows its quality score.
    ...qualityFiles(),
  ];
  for (const file of code.sort()) if (statSync(file).isFile()) hash.update(file.slice(file.lastIndexOf('/'))).update(readFileSync(file));
  return hash.digest('base64url').slice(0, 8);
}
export const TEMPLATE_TAG = pagesTag();

/** The helpers templates call. */
const HELPERS = {
  fill,
  compact: compactName,
  shapeAnchor,
  shapeLink,
  /** A constraint as people read it: `sh:MinCountConstraintComponent` is MinCount. */
  rule: (constraint: string) => constraint.replace(/^sh:/, '').replace(/ConstraintComponent$/, ''),
};

/** Where a report's result links to its rule: its shape's page, at the shape. */
export function shapeLink(profile: string, shape: string | undefined): string {
  const name = shapeName(shape ?? '');
  // A note of Katalog's own (urn:katalog:...) has no shape: it links to the profile.
  const named = /^https?:\/\//.test(shape ?? '') && /^[A-Za-z0-9_.~-]{1,200}$/.test(name);
  return `/profiles/${encodeURIComponent(profile)}${named ? `?shape=${encodeURIComponent(name)}#${shapeAnchor(shape)}` : ''}`;
}

/** A shape's name on its profile's pages: the last segment of its IRI. */
export const shapeName = (shape: string) => shape.split(/[#/]/).pop() ?? '';

/** The anchor of a shape on its profile's page: its local name, kept to characters an id may hold. */
export function shapeAnchor(shape: string | undefined): string {
  const local = shapeName(shape ?? '');
  return `shape-${local.replace(/[^A-Za-z0-9_-]/g, '_') || 'none'}`;
}

/** The language of a page: `?lang=`, else Accept-Language (nb, nn, en), nb by default. */
export function pageLanguage(request: FastifyRequest): PageLanguage {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (typeof asked === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(asked)) return asked as PageLanguage;
  return negotiateSearchLanguage(request.headers['accept-language']);
}

/** The six RDF syntaxes of a resource at `path`, as alternates of its page. */
export function alternatesOf(path: string): Array<{ type: string; href: string; name: string }> {
  const names: Record<string, string> = { ttl: 'Turtle', jsonld: 'JSON-LD', nt: 'N-Triples', rdf: 'RDF/XML', nq: 'N-Quads', trig: 'TriG' };
  const join = path.includes('?') ? '&' : '?';
  return FORMATS.map((f) => ({ type: f.mediaType, href: `${path}${join}format=${f.ext}`, name: names[f.ext]! }));
}

/** What a page's frame needs besides its body. */
export interface PageFrame {
  title: string;
  section?: 'catalogues' | 'search' | 'validator' | 'profiles' | 'vocabularies';
  alternates?: Array<{ type: string; href: string; name?: string }>;
  /** The schema.org description, already made safe for a script element (scriptJson). */
  schemaOrg?: string;
}

export class PageRenderer {
  private readonly eta = new Eta({ views: TEMPLATES, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });

  /** A whole page: the template `name` with `data`, in the frame, in `lang`, for `request` (its URL makes the language switch). */
  render(name: string, lang: PageLanguage, request: FastifyRequest, frame: PageFrame, data: Record<string, unknown>): string {
    const url = canonicalUrl(request);
    const s: Strings = stringsFor(lang);
    // A language the reader chose with ?lang= stays chosen on the pages the menu leads to.
    const chosen = /[?&]lang=/.test(url);
    return this.eta.render(`./${name}`, {
      nav: (path: string) => (chosen ? withParameter(path, 'lang', lang) : path),
      stylesheet: `/assets/katalog.css?v=${TEMPLATE_TAG}`,
      ...frame,
      ...data,
      lang,
      s,
      h: HELPERS,
      kindNames: Object.fromEntries(Object.entries(KIND_LABELS).map(([kind, labels]) => [kind, labels[lang]])),
      messageLang: lang === 'en' ? 'en' : 'nb',
      switches: PAGE_LANGUAGES.map((l) => ({ lang: l, name: LANGUAGE_NAMES[l], href: withParameter(url, 'lang', l) })),
    });
  }
}

/**
 * A request's URL as a page knows it: its path and the parameters its route's schema kept, in the
 * order given (a parameter a page does not read makes no other page, no other cache entry, and is
 * not carried into its links).
 */
export function canonicalUrl(request: FastifyRequest): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    for (const one of [value].flat()) if (one !== undefined) query.append(name, String(one));
  }
  const path = request.url.split('?')[0]!;
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** `url` (a path and query) with one parameter set, the others kept. */
export function withParameter(url: string, name: string, value: string): string {
  const at = url.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  query.set(name, value);
  return `${at === -1 ? url : url.slice(0, at)}?${query.toString()}`;
}

/** The weak ETag of a page: the state of what it shows, its language, the templates. */
export function pageEtag(tag: string, lang: PageLanguage): string {
  return `W/"${tag}-html-${lang}-${TEMPLATE_TAG}"`;
}

/**
 * Sends a page with the headers every page has, or 304 when the client's copy (by ETag) is
 * current. A page varies by Accept and Accept-Language (the language when no ?lang= is given).
 */
export function sendPage(request: FastifyRequest, reply: FastifyReply, lang: PageLanguage, body: string | Buffer, tag?: string): FastifyReply {
  reply.header('vary', 'Accept, Accept-Language');
  reply.header('content-security-policy', PAGE_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'strict-origin-when-cross-origin');
  reply.header('content-language', lang);
  if (tag !== undefined) {
    const etag = pageEtag(tag, lang);
    reply.header('etag', etag);
    if ((request.method === 'GET' || request.method === 'HEAD') && isNotModified(request.headers, etag)) return reply.code(304).send();
  } else {
    reply.header('cache-control', 'no-store');
  }
  return reply.type('text/html; charset=utf-8').send(body);
}
