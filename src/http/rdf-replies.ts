import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assembleDocument, inChunks, type RdfXmlWriter, renderDocument } from '../core/documents.js';
import { KatalogError } from '../core/errors.js';
import { contentTypeOf, type Format, formatKey, negotiateFormat, OFFERED_MEDIA_TYPES } from '../core/media-types.js';
import type { Representations } from '../core/serialize/representations.js';
import type { DocumentCache } from './document-cache.js';
import { etagOf, httpDate, isNotModified } from './etags.js';
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
  const etag = etagOf(validators.tag, format);
  reply.header('etag', etag);
  if (validators.lastModified) reply.header('last-modified', httpDate(validators.lastModified));
  const safe = request.method === 'GET' || request.method === 'HEAD';
  if (safe && isNotModified(request.headers, etag, validators.lastModified)) return reply.code(304).send();
  reply.type(contentTypeOf(format));
  if (Buffer.isBuffer(parts)) return reply.send(parts);
  if (cached) {
    const resource = `${cached.resource}.${formatKey(format)}`;
    const hit = cached.cache.open(resource, etag);
    reply.header('x-katalog-cache', hit ? 'hit' : 'miss');
    // A cached document's length is known: harvesters see how much is coming, and no chunked framing is written.
    if (hit) return reply.header('content-length', hit.size).send(hit.body);
    return reply.send(cached.cache.fill(resource, etag, Readable.from(inChunks(assembleDocument(format, parts, rdfXml)), { objectMode: false })));
  }
  if (Array.isArray(parts)) return reply.send(await renderDocument(format, parts, rdfXml));
  return reply.send(Readable.from(inChunks(assembleDocument(format, parts, rdfXml)), { objectMode: false }));
}
