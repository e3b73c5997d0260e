import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FILTER_PARAMETERS, pageAsJsonLd, pageAsRepresentations, Search, SEARCH_PARAMETERS, type SearchParameters } from '../../catalog/search.js';
import { KatalogError } from '../../core/errors.js';
import { KINDS, type Kind } from '../../core/kinds.js';
import { formatKey, negotiateSearchLanguage } from '../../core/media-types.js';
import { renderDocument } from '../../core/documents.js';
import type { VocabularyIndex } from '../../core/vocabularies.js';
import type { Store } from '../../store/store.js';
import { clip } from '../problem.js';
import type { RecordCache } from '../record-cache.js';
import { formatFor, sendRdf } from '../rdf-replies.js';
import { searchQuery, type SearchQueryString } from '../schemas.js';
import { readTime } from '../times.js';

export interface SearchRouteOptions {
  store: Store;
  vocabularies: VocabularyIndex;
  baseUrl: string;
  /** Answers kept as sent while nothing is written (the single-record cache); none: always searched. */
  cache?: RecordCache;
}

const ACCEPTED = new Set<string>(SEARCH_PARAMETERS);

/** What a search request asks (its query string, checked by searchQuery; Accept-Language for `lang`). */
export function searchParametersOf(request: FastifyRequest<{ Querystring: SearchQueryString }>): SearchParameters {
  const query = request.query;
  return {
    q: query.q,
    filters: Object.fromEntries(FILTER_PARAMETERS.flatMap((f) => (query[f] ? [[f, query[f]]] : []))),
    modifiedSince: query.modifiedSince === undefined ? undefined : readTime(query.modifiedSince, 'modifiedSince'),
    modifiedBefore: query.modifiedBefore === undefined ? undefined : readTime(query.modifiedBefore, 'modifiedBefore'),
    sort: query.sort,
    lang: query.lang ?? negotiateSearchLanguage(request.headers['accept-language']),
    pageSize: query.pageSize,
    cursor: query.cursor,
  };
}

/** A search refuses a parameter it does not know, naming those it does (a misspelt filter would otherwise widen the search silently). */
export async function refuseUnknownSearchParameters(request: FastifyRequest): Promise<void> {
  const unknown = Object.keys(request.query as object).filter((name) => !ACCEPTED.has(name));
  if (unknown.length > 0) {
    throw new KatalogError(
      'invalid-request',
      `A search does not take ${unknown.map((n) => clip(n, 64)).join(', ')}. It takes: ${SEARCH_PARAMETERS.join(', ')}.`,
      { accepted: [...SEARCH_PARAMETERS] },
    );
  }
}

/** Pages larger than this are not kept. */
const MAX_KEPT_PAGE = 1024 * 1024;

/**
 * The query API (docs/search.md): GET /search over every kind, GET /{segment} over one. A parameter
 * the API does not know is refused with the list of those it does (a misspelt filter would
 * otherwise widen the search silently). The answer's syntax goes by Accept only: `format` is a filter here.
 */
export async function searchRoutes(app: FastifyInstance, { store, vocabularies, baseUrl, cache }: SearchRouteOptions): Promise<void> {
  const search = new Search(store, vocabularies, baseUrl);

  const answer = (path: string, kind?: Kind) => async (request: FastifyRequest<{ Querystring: SearchQueryString }>, reply: FastifyReply) => {
    const format = formatFor(request.headers.accept, undefined, true);
    // A title order without `lang` follows Accept-Language.
    reply.header('vary', 'Accept, Accept-Language');
    const parameters = searchParametersOf(request);
    // The same search again, with nothing written since by any process, is answered as sent.
    const mark = store.changeMark();
    const key = `search ${formatKey(format)} ${parameters.lang} ${request.url}`;
    const kept = cache?.unchanged(key, mark);
    if (kept) return sendRdf(request, reply, format, { tag: kept.version, lastModified: kept.modified }, kept.body);
    const version = await store.version();
    const compacted = format.id === 'jsonld' && (format.form ?? 'compacted') === 'compacted';
    const page = await search.page(path, parameters, compacted ? 'jsonld' : 'nt', kind);
    const tag = `q${version.lastSeq}-${createHash('sha256').update(page.page).digest('base64url').slice(0, 16)}`;
    const body = Buffer.from(compacted ? pageAsJsonLd(page, baseUrl) : await renderDocument(format, pageAsRepresentations(page, baseUrl)));
    if (body.length <= MAX_KEPT_PAGE) cache?.set(key, { version: tag, modified: version.lastModified ?? '', body, mark });
    return sendRdf(request, reply, format, { tag, lastModified: version.lastModified }, body);
  };

  app.get<{ Querystring: SearchQueryString }>(
    '/search',
    { schema: { querystring: searchQuery }, preValidation: refuseUnknownSearchParameters },
    answer('/search'),
  );
  for (const info of KINDS) {
    app.get<{ Querystring: SearchQueryString }>(
      `/${info.segment}`,
      { schema: { querystring: searchQuery }, preValidation: refuseUnknownSearchParameters },
      answer(`/${info.segment}`, info.kind),
    );
  }
}
