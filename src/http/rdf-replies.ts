import type { OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assembleDocument, inChunks, type RdfXmlWriter, renderDocument } from '../core/documents.js';
import { KatalogError } from '../core/errors.js';
import { contentTypeOf, type Format, formatKey, negotiateFormat, negotiateMediaType, OFFERED_MEDIA_TYPES } from '../core/media-types.js';
import type { Representations } from '../core/serialize/representations.js';
import type { CachedDocument, DocumentCache } from './document-cache.js';
import { etagOf, httpDate, isNotModified } from './etags.js';
import { clip } from './problem.js';
import type { FormatQuery } from './schemas.js';

/**
 * Picks the response format from `?format=` or the Accept header (docs/design.md, Representations). Throws
 * not-acceptable (406) listing what is offered when nothing fits, quoting the Accept header
 * clipped: it is the client's and may be long.
 */
export function chooseFormat(request: FastifyRequest<{ Querystring: FormatQuery }>): Format {
  return formatFor(request.headers.accept, request.query.format);
}

/**
 * The format of `?format=` (when given) or the Accept header, or not-acceptable as chooseFormat says;
 * `byAcceptOnly` where `format` means something else (a search's filter).
 */
export function formatFor(accept: string | undefined, formatParam?: string, byAcceptOnly = false): Format {
  const format = negotiateFormat(accept, formatParam);
  if (format) return format;
  throw new KatalogError(
    'not-acceptable',
    `Cannot answer with ${clip(accept ?? '')}. Offered: ${OFFERED_MEDIA_TYPES.join(', ')}${byAcceptOnly ? '' : ' (or ?format=ttl|jsonld|nt|rdf|nq|trig)'}.`,
    { offered: OFFERED_MEDIA_TYPES },
  );
}

/**
 * Whether a request prefers plain JSON (application/json) to every RDF syntax, having asked for no
 * syntax by `?format=`: JSON-LD stays RDF (application/ld+json), and any type (a wildcard) gets Turtle.
 */
export function prefersJson(request: FastifyRequest<{ Querystring: FormatQuery }>): boolean {
  const accept = request.headers.accept;
  return request.query.format === undefined && !!accept && negotiateMediaType(accept, [...OFFERED_MEDIA_TYPES, 'application/json']) === 'application/json';
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

/** Whether a response goes out as it is: the client accepts no compression @fastify/compress would apply. */
const uncompressed = (request: FastifyRequest) => {
  const accepted = request.headers['accept-encoding']?.trim();
  return accepted === undefined || accepted === '' || accepted === 'identity';
};

/**
 * A cached document, with its length (harvesters see how much is coming; no chunked framing). Sent
 * as it is, it is written straight to the socket from reused buffers (document-cache.ts), past
 * Fastify's reply (whose only work here would be hooks that leave it unchanged); compressed, it goes
 * through Fastify and @fastify/compress as a stream.
 */
async function sendCached(request: FastifyRequest, reply: FastifyReply, document: CachedDocument): Promise<FastifyReply> {
  reply.header('content-length', document.size);
  const head = request.method === 'HEAD';
  // A HEAD answers with the head of the document as it is on file, reading nothing of it.
  if (!head && !uncompressed(request)) return reply.send(document.stream());
  reply.hijack();
  let outcome: Awaited<ReturnType<CachedDocument['writeTo']>>;
  try {
    reply.raw.writeHead(200, reply.getHeaders() as OutgoingHttpHeaders);
    if (head) {
      document.close();
      reply.raw.end();
      outcome = 'done';
    } else {
      outcome = await document.writeTo(reply.raw);
    }
  } catch (error) {
    document.close();
    reply.raw.destroy();
    outcome = error as Error;
  }
  const responseTime = reply.elapsedTime;
  if (outcome === 'done') request.log.info({ res: { statusCode: 200 }, responseTime }, 'request completed');
  else if (outcome === 'gone') request.log.info({ res: { statusCode: 200 }, responseTime }, 'the client left before the cached document was sent');
  else request.log.error({ err: outcome }, 'the cached document could not be sent');
  return reply;
}

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
    if (hit) return sendCached(request, reply, hit);
    return reply.send(cached.cache.fill(resource, etag, Readable.from(inChunks(assembleDocument(format, parts, rdfXml)), { objectMode: false })));
  }
  if (Array.isArray(parts)) return reply.send(await renderDocument(format, parts, rdfXml));
  return reply.send(Readable.from(inChunks(assembleDocument(format, parts, rdfXml)), { objectMode: false }));
}
