import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AtomLanguage, atomFeed, titlesOf } from '../../catalog/atom.js';
import { type FeedScope, type Retention, feedPage, streamQuads, writeFeed } from '../../catalog/feed.js';
import { KatalogError } from '../../core/errors.js';
import type { Kind } from '../../core/kinds.js';
import { contentTypeOf, type Format, formatByExtension, formatById, negotiateLanguage, negotiateMediaType } from '../../core/media-types.js';
import type { ChangeQuery, Store } from '../../store/store.js';
import { etagOf, httpDate, isNotModified } from '../etags.js';
import { clip } from '../problem.js';
import type { LiveFeed } from '../live-feed.js';
import type { RecordCache } from '../record-cache.js';
import {
  type ActivityParams,
  activityParams,
  type AtomQuery,
  atomQuery,
  type FeedPageParams,
  feedPageParams,
  feedFormatQuery,
  type FeedQuery,
  feedQuery,
  type LiveQuery,
  liveQuery,
  type RecordIdParams,
  recordIdParams,
  CHANGE_NUMBER,
} from '../schemas.js';

export interface FeedRouteOptions {
  store: Store;
  baseUrl: string;
  /** Changes per page (FEED_PAGE_SIZE). */
  pageSize: number;
  /** Rendered pages kept in memory: full pages for good, the open page while nothing is written. */
  cache?: RecordCache;
  live: LiveFeed;
  /** What the history keeps: when not everything, full pages may lose members (so they are not immutable). */
  retention: Retention;
}

/** The quad syntaxes offered, TriG first (the default). */
const OFFERED = ['application/trig', 'application/n-quads', 'application/ld+json'];

/** How long a client may keep what can still change: the open page, and the stream's description. */
const OPEN_PAGE = 'public, max-age=5';
const STREAM = 'public, max-age=60';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A full page while the history is compacted (docs/feed.md, "What is kept"): it may lose members. */
const COMPACTED = 'public, max-age=3600';
const FULL = 'full-';
/** Entries of the Atom feed: the latest changes. */
const ATOM_ENTRIES = 50;

/**
 * The format of a feed answer: `?format=trig|nq|jsonld`, else Accept. A feed's activities carry
 * named graphs, which Turtle, N-Triples and RDF/XML cannot hold: asking only for those is 406.
 */
function feedFormat(request: FastifyRequest<{ Querystring: FeedQuery }>): Format {
  if (request.query.format) return formatByExtension(request.query.format)!;
  const chosen = negotiateMediaType(request.headers.accept, OFFERED);
  if (chosen === 'application/trig') return formatById('trig');
  if (chosen === 'application/n-quads') return formatById('nquads');
  if (chosen === 'application/ld+json') return formatById('jsonld');
  throw new KatalogError(
    'not-acceptable',
    `Cannot answer with ${clip(request.headers.accept ?? '')}: a feed's activities are named graphs, so it is served in a quad syntax. Offered: ${OFFERED.join(', ')} (or ?format=trig|nq|jsonld).`,
    { offered: OFFERED },
  );
}

/** The changes `?kind=` and `?organisation=` select. */
function changeQueryOf(query: { kind?: Kind; organisation?: string }): ChangeQuery {
  return { ...(query.kind ? { kind: query.kind } : {}), ...(query.organisation ? { organisation: query.organisation } : {}) };
}

/** Sends a feed document: ETag and Last-Modified, 304 when the client's copy is current, and how long it may be kept. */
async function sendFeed(
  request: FastifyRequest,
  reply: FastifyReply,
  format: Format,
  validators: { tag: string; lastModified?: string },
  cacheControl: string,
  body: () => Promise<Buffer>,
): Promise<FastifyReply> {
  const etag = etagOf(validators.tag, format);
  reply.header('etag', etag).header('cache-control', cacheControl).header('vary', 'accept');
  if (validators.lastModified) reply.header('last-modified', httpDate(validators.lastModified));
  if (isNotModified(request.headers, etag, validators.lastModified)) return reply.code(304).send();
  return reply.type(contentTypeOf(format)).send(await body());
}

/**
 * The change feed (docs/feed.md): GET /feed, its pages and activities, each filtered by kind or
 * organisation, and a catalogue's feed (its organisation's). Pages are named by the change they
 * follow; full pages never change and say so.
 */
export async function feedRoutes(app: FastifyInstance, { store, baseUrl, pageSize, cache, live, retention }: FeedRouteOptions): Promise<void> {
  const activities = `${baseUrl}/feed/activities/`;
  /** Full pages never change unless the history is compacted; the open page changes with every change it gains. */
  const pageCacheControl = (full: boolean) => (!full ? OPEN_PAGE : retention.keep === 'all' ? IMMUTABLE : COMPACTED);

  /** The feed /feed?kind=&organisation= names. */
  const mainScope = (query: FeedQuery): FeedScope => {
    const params = new URLSearchParams();
    if (query.kind) params.set('kind', query.kind);
    if (query.organisation) params.set('organisation', query.organisation);
    const suffix = params.size > 0 ? `?${params}` : '';
    return {
      stream: `${baseUrl}/feed${suffix}`,
      pages: `${baseUrl}/feed/pages/`,
      suffix,
      query: changeQueryOf(query),
      activities,
      retention,
    };
  };

  /** A catalogue's feed: its organisation's changes (a catalogue lists only its organisation's records). */
  const catalogScope = async (id: string): Promise<FeedScope> => {
    const catalog = await store.get('catalog', id, 'nt');
    if (!catalog) throw new KatalogError('not-found', `No catalogue has the id ${id}.`);
    if (!catalog.organisation) {
      throw new KatalogError('not-found', `The catalogue ${id} names no organisation, so it has no feed of its own: follow ${baseUrl}/feed.`);
    }
    return {
      stream: `${baseUrl}/catalogs/${id}/feed`,
      pages: `${baseUrl}/catalogs/${id}/feed/pages/`,
      suffix: '',
      query: { organisation: catalog.organisation },
      activities,
      retention,
    };
  };

  const stream = async (request: FastifyRequest<{ Querystring: FeedQuery }>, reply: FastifyReply, scope: FeedScope) => {
    const format = feedFormat(request);
    return sendFeed(request, reply, format, { tag: `stream-${scope.stream}-${pageSize}` }, STREAM, async () =>
      Buffer.from(await writeFeed({ scope, head: streamQuads(scope), changes: [] }, format)),
    );
  };

  const page = async (request: FastifyRequest<{ Querystring: FeedQuery; Params: FeedPageParams }>, reply: FastifyReply, scope: FeedScope) => {
    const format = feedFormat(request);
    const after = Number(request.params.after);
    const key = `feed ${scope.stream} ${JSON.stringify(scope.query)} ${after} ${pageSize} ${format.ext}`;
    const mark = store.changeMark();
    const kept = cache?.unchanged(key, mark);
    if (kept) {
      const full = kept.version.startsWith(FULL);
      return sendFeed(request, reply, format, { tag: kept.version, lastModified: kept.modified || undefined }, pageCacheControl(full), async () => kept.body);
    }
    const { lastSeq } = await store.version();
    if (after > lastSeq) throw new KatalogError('not-found', `No change has the number ${after} yet: the latest is ${lastSeq}.`);
    const found = await feedPage(store, scope, after, pageSize);
    // The tag says whether the page was full, for its Cache-Control when it is served again.
    const tag = `${found.full ? FULL : 'open-'}${scope.stream}-${found.tag}`;
    return sendFeed(request, reply, format, { tag, lastModified: found.lastModified }, pageCacheControl(found.full), async () => {
      const body = Buffer.from(await writeFeed(found, format));
      // Kept for good when it can never change (see pageCacheControl).
      cache?.set(key, { version: tag, modified: found.lastModified ?? '', body, mark, final: found.full && retention.keep === 'all' });
      return body;
    });
  };

  app.get<{ Querystring: FeedQuery }>('/feed', { schema: { querystring: feedQuery } }, (request, reply) => stream(request, reply, mainScope(request.query)));
  app.get<{ Querystring: FeedQuery; Params: FeedPageParams }>(
    '/feed/pages/:after',
    { schema: { querystring: feedQuery, params: feedPageParams } },
    (request, reply) => page(request, reply, mainScope(request.query)),
  );
  app.get<{ Querystring: FeedQuery; Params: RecordIdParams }>(
    '/catalogs/:id/feed',
    { schema: { querystring: feedFormatQuery, params: recordIdParams } },
    async (request, reply) => stream(request, reply, await catalogScope(request.params.id)),
  );
  app.get<{ Querystring: FeedQuery; Params: FeedPageParams }>(
    '/catalogs/:id/feed/pages/:after',
    { schema: { querystring: feedFormatQuery, params: feedPageParams } },
    async (request, reply) => page(request, reply, await catalogScope(request.params.id!)),
  );

  // One activity, as it is on its page: it never changes.
  app.get<{ Querystring: FeedQuery; Params: ActivityParams }>(
    '/feed/activities/:seq',
    { schema: { querystring: feedFormatQuery, params: activityParams } },
    async (request, reply) => {
      const format = feedFormat(request);
      const seq = Number(request.params.seq);
      const [change] = await store.changes(seq - 1, 1, { only: 'nt' });
      if (!change || change.seq !== seq) throw new KatalogError('not-found', `No change has the number ${seq}.`);
      const scope = mainScope({});
      return sendFeed(request, reply, format, { tag: `activity-${seq}`, lastModified: change.at }, IMMUTABLE, async () =>
        Buffer.from(await writeFeed({ scope, head: [], changes: [change] }, format)),
      );
    },
  );

  // Live events (Server-Sent Events): every change after Last-Event-ID (or ?after=; none: from now).
  app.get<{ Querystring: LiveQuery }>('/feed/live', { schema: { querystring: liveQuery } }, async (request, reply) => {
    const header = request.headers['last-event-id'];
    const resume = typeof header === 'string' ? header.trim() : request.query.after;
    if (resume !== undefined && !CHANGE_NUMBER.test(resume)) {
      throw new KatalogError('invalid-request', `Last-Event-ID is the number of the last change received (from an event's id), not ${clip(resume)}.`);
    }
    const { lastSeq } = await store.version();
    const after = resume === undefined ? lastSeq : Number(resume);
    if (after > lastSeq) throw new KatalogError('invalid-request', `No change has the number ${after} yet: the latest is ${lastSeq}.`);
    if (!live.hasRoom()) {
      throw new KatalogError('too-many-clients', 'Every place for a live client is taken: try again shortly, or follow the paged feed (/feed).', {
        retryAfter: 5,
      });
    }
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    // How long a client waits before it connects again (EventSource does so by itself).
    reply.raw.write('retry: 2000\n\n');
    await live.follow(reply.raw, changeQueryOf(request.query), after).catch(() => reply.raw.destroy());
  });

  // The latest changes as Atom, for people and feed readers (newest first).
  app.get<{ Querystring: AtomQuery }>('/feed.atom', { schema: { querystring: atomQuery } }, async (request, reply) => {
    const language: AtomLanguage = request.query.lang ?? negotiateLanguage(request.headers['accept-language']);
    const { lastSeq, lastModified } = await store.version();
    const etag = `"atom-${lastSeq}-${language}"`;
    reply.header('etag', etag).header('cache-control', OPEN_PAGE).header('vary', 'Accept, Accept-Language');
    if (lastModified) reply.header('last-modified', httpDate(lastModified));
    if (isNotModified(request.headers, etag, lastModified)) return reply.code(304).send();
    const changes = (await store.changes(Math.max(0, lastSeq - ATOM_ENTRIES), ATOM_ENTRIES, { only: 'nt' })).reverse();
    const titles = new Map(changes.map((c) => [c.iri, titlesOf(c.nt, c.iri)]));
    const selfUrl = `${baseUrl}/feed.atom${request.query.lang ? `?lang=${language}` : ''}`;
    return reply
      .type('application/atom+xml; charset=utf-8')
      .send(atomFeed({ baseUrl, selfUrl, language, changes, titles, ...(changes[0] ? { updated: changes[0].at } : {}) }));
  });
}
