import type { FromSchema } from 'json-schema-to-ts';
import { KINDS } from '../core/kinds.js';
import { FORMATS } from '../core/media-types.js';

// The JSON schemas that routes share (docs/design.md, Architecture): each is written once, `as
// const`, and its TypeScript type is derived from it, so what Fastify checks and what a handler
// reads cannot drift apart.

/** A record's id in a URL: unreserved characters of RFC 3986 only (docs/design.md, Records). */
const recordId = { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' } as const;

/** A profile's or a vocabulary's id: lower-case letters, digits and hyphens. */
const slug = { type: 'string', pattern: '^[a-z0-9-]+$' } as const;

/** `?format=`: the extension of an offered syntax (docs/design.md, Representations). */
const format = { type: 'string', enum: FORMATS.map((f) => f.ext) } as const;

/** `/{segment}/:id` of a record. */
export const recordIdParams = { type: 'object', properties: { id: recordId }, required: ['id'] } as const;
export type RecordIdParams = FromSchema<typeof recordIdParams>;

/** `/profiles/:id` and `/vocabularies/:id`. */
export const slugParams = { type: 'object', properties: { id: slug }, required: ['id'] } as const;
export type SlugParams = FromSchema<typeof slugParams>;

/** `?profile=` of a write or of POST /validate: the profile to validate with instead of the kind's default. */
export const profileQuery = { type: 'object', properties: { profile: slug } } as const;
export type ProfileQuery = FromSchema<typeof profileQuery>;

/** `?format=` of any RDF answer. */
export const formatQuery = { type: 'object', properties: { format } } as const;
export type FormatQuery = FromSchema<typeof formatQuery>;

/** A page's query (docs/pages.md): `?format=html` asks for it, `?lang=` for its language. */
export const pageQuery = {
  type: 'object',
  properties: { format: { type: 'string', enum: ['html'] }, lang: { type: 'string', enum: ['nb', 'nn', 'en'] } },
  // Other parameters are dropped (Fastify's removeAdditional): a page is the same whatever else a URL says.
  additionalProperties: false,
} as const;
export type PageQuery = FromSchema<typeof pageQuery>;

/** A profile's page: `?shape=` shows one of its shapes with every message. */
export const profilePageQuery = {
  type: 'object',
  properties: { ...pageQuery.properties, shape: { type: 'string', pattern: '^[A-Za-z0-9_.~-]{1,200}$' } },
  additionalProperties: false,
} as const;
export type ProfilePageQuery = FromSchema<typeof profilePageQuery>;

/** A catalogue's query: a format, a page and its cursor, and a partial harvest (README, "Large catalogues and paging"). */
export const catalogQuery = {
  type: 'object',
  properties: {
    format,
    pageSize: { type: 'integer', minimum: 1, maximum: 10_000 },
    cursor: { type: 'integer', minimum: 0 },
    modifiedSince: { type: 'string', format: 'date-time' },
  },
} as const;
export type CatalogQuery = FromSchema<typeof catalogQuery>;

/** One filter value of a search: repeatable, each value bounded. */
const filterValues = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 2048 }, maxItems: 100 } as const;

/**
 * A search's query (docs/search.md, The query API): `GET /search` and `GET /{segment}`. Here
 * `format` filters by a distribution's format; the answer's syntax goes by Accept.
 */
export const searchQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 1000 },
    kind: filterValues,
    publisher: filterValues,
    catalog: filterValues,
    theme: filterValues,
    keyword: filterValues,
    format: filterValues,
    accessRights: filterValues,
    license: filterValues,
    openData: filterValues,
    spatial: filterValues,
    lifeEvent: filterValues,
    businessEvent: filterValues,
    quality: filterValues,
    modifiedSince: { type: 'string', maxLength: 64 },
    modifiedBefore: { type: 'string', maxLength: 64 },
    sort: { type: 'string', enum: ['relevance', 'modified', 'title', 'quality'] },
    lang: { type: 'string', enum: ['nb', 'nn', 'en'] },
    pageSize: { type: 'integer', minimum: 1, maximum: 100 },
    cursor: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;
export type SearchQueryString = FromSchema<typeof searchQuery>;

/** A change number in a URL: a feed page's start (0: the first page) or an activity's number. */
export const CHANGE_NUMBER = /^(0|[1-9][0-9]{0,14})$/;
const changeNumber = { type: 'string', pattern: CHANGE_NUMBER.source } as const;

/** `?kind=`, `?organisation=` and `?format=` of a change feed (docs/feed.md). */
export const feedQuery = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: KINDS.map((k) => k.kind) },
    organisation: { type: 'string', pattern: '^[0-9]{9}$' },
    format: { type: 'string', enum: ['trig', 'nq', 'jsonld'] },
  },
} as const;
export type FeedQuery = FromSchema<typeof feedQuery>;

/** A feed's `?format=` alone: a catalogue's feed (filtered by its organisation) and one activity. */
export const feedFormatQuery = { type: 'object', properties: { format: feedQuery.properties.format } } as const;

/** `/feed/pages/:after` (and a catalogue's), `/feed/activities/:seq`. */
export const feedPageParams = { type: 'object', properties: { after: changeNumber, id: recordId }, required: ['after'] } as const;
export type FeedPageParams = FromSchema<typeof feedPageParams>;
export const activityParams = { type: 'object', properties: { seq: changeNumber }, required: ['seq'] } as const;
export type ActivityParams = FromSchema<typeof activityParams>;

/** GET /feed/live: the feed's filters, and where to resume when Last-Event-ID cannot be sent. */
export const liveQuery = {
  type: 'object',
  properties: { kind: feedQuery.properties.kind, organisation: feedQuery.properties.organisation, after: changeNumber },
} as const;
export type LiveQuery = FromSchema<typeof liveQuery>;

/** GET /feed.atom: the language of its texts (else Accept-Language, else Norwegian). */
export const atomQuery = { type: 'object', properties: { lang: { type: 'string', enum: ['nb', 'en'] } } } as const;
export type AtomQuery = FromSchema<typeof atomQuery>;
