import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assembleDocument, inChunks, type RdfXmlWriter, renderDocument } from '../core/documents.js';
import { KatalogError } from '../core/errors.js';
import { contentTypeOf, type Format, formatKey, negotiateFormat, OFFERED_MEDIA_TYPES } from '../core/media-types.js';
import type { Representations } from '../core/serialize/representations.js';
import type { DocumentCache } from './document-cache.js';
import { clip } from './problem.js';
import type { FormatQuery } from './schemas.js';

/**
 * Picks the response format from `?format=` or the Accept header (docs/design.md, Representations). Throws
 * not-acceptable (406) listing what is offered when nothing fits, quoting the Accept header
 * clipped: it is the client's and may be long.
 */
export function chooseFormat(request: FastifyRequest<{ Querystring: FormatQuery }>): Format {
  const format = negotiateFormat(request.headers.accept, request.query.format);
  if (format) return format;
  throw new KatalogError(
    'not-acceptable',
    `Cannot answer with ${clip(request.headers.accept ?? '')}. Offered: ${OFFERED_MEDIA_TYPES.join(', ')} (or ?format=ttl|jsonld|nt|rdf|nq|trig).`,
    { offered: OFFERED_MEDIA_TYPES },
  );
}

/** What identifies one state of a resource: a tag that changes on every write, and its time. */
export interface Validators {
  tag: string;
  lastModified?: string;
}

function etagOf(validators: Validators, format: Format): string {
  return `W/"${validators.tag}-${formatKey(format)}"`;
}

const opaque = (etag: string) => etag.trim().replace(/^W\//, '');

/** RFC 9110 weak comparison: whether an If-None-Match list names `etag`. */
export function listsEtag(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((candidate) => opaque(candidate) === opaque(etag));
}

/** If-None-Match (with *); If-Modified-Since only when If-None-Match is absent. */
function isNotModified(request: FastifyRequest, etag: string, lastModified?: string): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) return inm.trim() === '*' || listsEtag(inm, etag);
  const ims = request.headers['if-modified-since'];
  if (ims && lastModified) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Math.floor(Date.parse(lastModified) / 1000) * 1000 <= since;
  }
  return false;
}

/**
 * What an RDF reply is made of: representations as they come from the store (a stream), a few
 * representations in an array (one string), or a document already rendered (bytes).
 */
export type RdfBody = AsyncIterable<Representations> | Representations[] | Buffer;

/**
 * Answers with an RDF document assembled from representations as they come (streamed with
 * back-pressure), with ETag and Last-Modified, or 304 when the client's copy is current.
 */
export async function sendRdf(
  request: FastifyRequest,
  reply: FastifyReply,
  format: Format,
  validators: Validators,
  parts: RdfBody,
  cached?: { cache: DocumentCache; resource: string },
  rdfXml?: RdfXmlWriter,
): Promise<FastifyReply> {
  const etag = etagOf(validators, format);
  reply.header('etag', etag);
  if (validators.lastModified) reply.header('last-modified', new Date(validators.lastModified).toUTCString());
  const safe = request.method === 'GET' || request.method === 'HEAD';
  if (safe && isNotModified(request, etag, validators.lastModified)) return reply.code(304).send();
  reply.type(contentTypeOf(format));
  if (Buffer.isBuffer(parts)) return reply.send(parts);
  if (cached) {
    const resource = `${cached.resource}.${formatKey(format)}`;
    const hit = cached.cache.open(resource, etag);
    reply.header('x-katalog-cache', hit ? 'hit' : 'miss');
    if (hit) return reply.send(hit);
    return reply.send(cached.cache.fill(resource, etag, Readable.from(inChunks(assembleDocument(format, parts, rdfXml)), { objectMode: false })));
  }
  if (Array.isArray(parts)) return reply.send(await renderDocument(format, parts, rdfXml));
  return reply.send(Readable.from(inChunks(assembleDocument(format, parts, rdfXml)), { objectMode: false }));
}
