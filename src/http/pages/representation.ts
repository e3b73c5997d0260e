import type { IncomingMessage } from 'node:http';
import type { ConstraintStrategy, HTTPVersion } from 'find-my-way';
import { prefersPage } from '../../core/media-types.js';
import { SEGMENTS } from '../../core/kinds.js';

/**
 * The route constraint that sends a request to a page or to RDF (docs/pages.md, Negotiation): a
 * route registered with `constraints: { representation: 'page' }` answers requests that prefer
 * text/html (or ask `?format=html`); every other request goes to the route without the constraint,
 * as it did before pages existed. On a search (`/search`, `/{segment}`) `format` is a filter, not a
 * syntax, so only Accept decides there.
 */
const SEARCH_PATHS = new Set(['/search', ...SEGMENTS.map((s) => `/${s}`)]);

export function representationOf(request: IncomingMessage): 'page' | 'rdf' {
  const url = request.url ?? '';
  const at = url.indexOf('?');
  const asked = at === -1 ? undefined : new URLSearchParams(url.slice(at + 1)).get('format');
  const format = asked === null || asked === undefined || SEARCH_PATHS.has(decodedPath(at === -1 ? url : url.slice(0, at))) ? undefined : asked;
  const accept = request.headers.accept;
  // Java's URLConnection asks for text/html first unless told otherwise: such a client is a program, not a person.
  if (format === undefined && accept?.startsWith(JAVA_DEFAULT_ACCEPT)) return 'rdf';
  return prefersPage(accept, format) ? 'page' : 'rdf';
}

/** The Accept header Java's HttpURLConnection sends when the program sets none. */
const JAVA_DEFAULT_ACCEPT = 'text/html, image/gif, image/jpeg, *; q=.2';

/** A path as the router reads it: percent-decoded, without a trailing slash (undecodable: as it is). */
function decodedPath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // a malformed escape: the router answers it
  }
  return decoded.replace(/\/$/, '');
}

type Handler = Parameters<ReturnType<ConstraintStrategy<HTTPVersion.V1, string>['storage']>['set']>[1];

export const representationConstraint: ConstraintStrategy<HTTPVersion.V1, string> = {
  name: 'representation',
  storage() {
    const handlers = new Map<string, Handler>();
    return {
      get: (value: string) => handlers.get(value) ?? null,
      set: (value: string, handler: Handler) => void handlers.set(value, handler),
    };
  },
  deriveConstraint: (request: IncomingMessage) => representationOf(request),
  mustMatchWhenDerived: false,
};
