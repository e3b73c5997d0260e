import Negotiator from 'negotiator';
import { ownCopy } from './namespaces.js';

/** The RDF syntaxes Katalog reads and writes (docs/design.md, Representations), Turtle first: it is the default. */
export const FORMATS = [
  { id: 'turtle', ext: 'ttl', mediaType: 'text/turtle' },
  { id: 'jsonld', ext: 'jsonld', mediaType: 'application/ld+json' },
  { id: 'ntriples', ext: 'nt', mediaType: 'application/n-triples' },
  { id: 'rdfxml', ext: 'rdf', mediaType: 'application/rdf+xml' },
  { id: 'nquads', ext: 'nq', mediaType: 'application/n-quads' },
  { id: 'trig', ext: 'trig', mediaType: 'application/trig' },
] as const;

/**
 * The JSON-LD document forms a client may ask for with the profile parameter of application/ld+json
 * (JSON-LD 1.1, section 9.1): compacted against Katalog's context (the default), expanded, or
 * flattened (every node at the top level, compacted).
 */
export type JsonLdForm = 'compacted' | 'expanded' | 'flattened';
export const JSONLD_PROFILE = 'http://www.w3.org/ns/json-ld#';

/** A syntax; a JSON-LD answer also says its form. */
export type Format = (typeof FORMATS)[number] & { form?: JsonLdForm };
export type FormatId = Format['id'];

/** What tells one representation from another in keys and ETags: the extension, and a JSON-LD form other than compacted. */
export function formatKey(format: Format): string {
  return format.form && format.form !== 'compacted' ? `${format.ext}-${format.form}` : format.ext;
}

/** The Content-Type of an answer in `format` (with the JSON-LD profile when not compacted). */
export function contentTypeOf(format: Format): string {
  const profile = format.form && format.form !== 'compacted' ? `; profile="${JSONLD_PROFILE}${format.form}"` : '';
  return `${format.mediaType}${profile}; charset=utf-8`;
}

export const OFFERED_MEDIA_TYPES: string[] = FORMATS.map((f) => f.mediaType);

/** Request body media types, with the older aliases still sent by some clients. */
const INPUT_ALIASES: Record<string, FormatId> = {
  'text/turtle': 'turtle',
  'application/x-turtle': 'turtle',
  'application/turtle': 'turtle',
  'application/ld+json': 'jsonld',
  'application/json': 'jsonld',
  'application/n-triples': 'ntriples',
  'text/plain': 'ntriples',
  'application/rdf+xml': 'rdfxml',
  'application/xml': 'rdfxml',
  'text/xml': 'rdfxml',
  'application/n-quads': 'nquads',
  'text/x-nquads': 'nquads',
  'application/trig': 'trig',
};

/** Every media type accepted as a request body. */
export const INPUT_MEDIA_TYPES: string[] = Object.keys(INPUT_ALIASES);

export function formatById(id: FormatId): Format {
  return FORMATS.find((f) => f.id === id)!;
}

export function formatByExtension(ext: string): Format | undefined {
  return FORMATS.find((f) => f.ext === ext);
}

/** The format a request body's Content-Type names (parameters ignored), or undefined. */
export function formatOfContentType(contentType: string | undefined): Format | undefined {
  if (!contentType) return undefined;
  const bare = contentType.split(';')[0]!.trim().toLowerCase();
  const id = INPUT_ALIASES[bare];
  return id ? formatById(id) : undefined;
}

/** The format of a file, from its extension (.ttl, .jsonld, .json, .nt, .rdf, .owl, .xml, .nq, .trig). */
export function formatOfFileName(name: string): Format | undefined {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'json') return formatById('jsonld');
  if (ext === 'owl' || ext === 'xml') return formatById('rdfxml');
  if (ext === 'turtle') return formatById('turtle');
  return formatByExtension(ext);
}

/**
 * Chooses the response format. `?format=` wins; then the Accept header with q-values; no Accept,
 * an empty one or *\/* gives Turtle. Returns undefined when nothing offered is acceptable.
 */
export function negotiateFormat(accept: string | undefined, formatParam?: string): Format | undefined {
  if (formatParam !== undefined) return formatByExtension(formatParam);
  // Clients send the same few Accept headers again and again: remember the answers (bounded).
  const key = accept ?? '';
  if (negotiated.has(key)) return negotiated.get(key);
  const chosen = negotiateMediaType(accept, OFFERED_MEDIA_TYPES);
  const found = chosen ? FORMATS.find((f) => f.mediaType === chosen) : undefined;
  const format = found && withJsonLdForm(found, accept);
  // Only short headers are kept (at most 256 of 256 characters): a client's header is never held.
  if (key.length > 256) return format;
  if (negotiated.size >= 256) negotiated.clear();
  negotiated.set(ownCopy(key), format);
  return format;
}

const negotiated = new Map<string, Format | undefined>();

/**
 * The Accept header without `profile` parameters (a profile says which form of a media type, not
 * whether it is acceptable; the negotiator would otherwise match no offered type), and the JSON-LD
 * form the application/ld+json entries ask for: the first of their profile URIs that names one.
 */
function acceptWithoutProfiles(accept: string | undefined): { bare: string | undefined; form: JsonLdForm } {
  if (accept === undefined || !accept.includes('profile')) return { bare: accept, form: 'compacted' };
  let form: JsonLdForm | undefined;
  const entries = (accept.match(/(?:[^,"]|"[^"]*")+/g) ?? []).map((entry) => {
    const [type, ...params] = entry.match(/(?:[^;"]|"[^"]*")+/g) ?? [''];
    const kept = params.filter((p) => {
      const [name, value = ''] = p.split('=');
      if (name!.trim().toLowerCase() !== 'profile') return true;
      if (type!.trim().toLowerCase() === 'application/ld+json' && form === undefined) {
        for (const uri of value.replace(/"/g, '').trim().split(/\s+/)) {
          const named = uri.startsWith(JSONLD_PROFILE) ? uri.slice(JSONLD_PROFILE.length) : '';
          if (named === 'expanded' || named === 'flattened' || named === 'compacted') {
            form = named;
            break;
          }
        }
      }
      return false;
    });
    return [type, ...kept].join(';');
  });
  return { bare: entries.join(','), form: form ?? 'compacted' };
}

/**
 * The preferred of `offered` media types for an Accept header (the first offered one when Accept is
 * absent); `profile` parameters are not held against a type (see acceptWithoutProfiles).
 */
export function negotiateMediaType(accept: string | undefined, offered: string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  return new Negotiator({ headers: { accept: acceptWithoutProfiles(accept).bare! } }).mediaType(offered);
}

/** `format`, with the JSON-LD form the Accept header asks for when it is JSON-LD. */
export function withJsonLdForm(format: Format, accept: string | undefined): Format {
  const { form } = acceptWithoutProfiles(accept);
  return format.id === 'jsonld' && form !== 'compacted' ? { ...format, form } : format;
}

/** The media type of the pages for people (docs/pages.md). */
export const HTML_MEDIA_TYPE = 'text/html';

/**
 * Whether a request asks for a page rather than RDF: `?format=html`, or an Accept header that names
 * text/html and prefers it to every RDF syntax. Offered last, HTML never wins by a wildcard: no
 * Accept, *\/* and every RDF media type keep their RDF answers (harvesters never see a page).
 */
export function prefersPage(accept: string | undefined, formatParam?: string | null): boolean {
  if (formatParam !== undefined && formatParam !== null) return formatParam === 'html';
  if (accept === undefined || !accept.toLowerCase().includes(HTML_MEDIA_TYPE)) return false;
  let known = pageAnswers.get(accept);
  if (known === undefined) {
    known = negotiateMediaType(accept, [...OFFERED_MEDIA_TYPES, HTML_MEDIA_TYPE]) === HTML_MEDIA_TYPE;
    if (accept.length <= 256) {
      if (pageAnswers.size >= 256) pageAnswers.clear();
      pageAnswers.set(ownCopy(accept), known);
    }
  }
  return known;
}

const pageAnswers = new Map<string, boolean>();

/** The language for messages: nb or en from Accept-Language (nn and no count as nb), nb by default. */
export function negotiateLanguage(acceptLanguage: string | undefined): 'nb' | 'en' {
  if (!acceptLanguage) return 'nb';
  const preferred = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages(['nb', 'nn', 'no', 'en']);
  return preferred[0] === 'en' ? 'en' : 'nb';
}

/** The language of a search's title order and labels: nb, nn or en from Accept-Language, nb by default. */
export function negotiateSearchLanguage(acceptLanguage: string | undefined): 'nb' | 'nn' | 'en' {
  if (!acceptLanguage) return 'nb';
  const preferred = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages(['nb', 'nn', 'no', 'en']);
  return preferred[0] === 'en' ? 'en' : preferred[0] === 'nn' ? 'nn' : 'nb';
}
