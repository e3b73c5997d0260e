import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { clip } from '../core/budgets.js';
import { KatalogError } from '../core/errors.js';
import { formatOfContentType, type FormatId, INPUT_MEDIA_TYPES } from '../core/media-types.js';

/** Media types accepted as request bodies. */
export const BODY_MEDIA_TYPES = INPUT_MEDIA_TYPES;

/**
 * Replaces Fastify's JSON and text parsers by one that keeps every body as its bytes, whatever its
 * type, so that the route answers an unsupported Content-Type with a 415 that lists what it takes,
 * and so that a large body is decoded in a worker thread, not here (see body-work.ts).
 */
export function registerRdfBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => collectBody(request, payload as BodyStream, bodyLimit, done));
}

type BodyStream = NodeJS.ReadableStream & { receivedEncodedLength?: number };

/** What a body's buffer starts at, at most, whatever its Content-Length says. */
const EAGER_BYTES = 1 << 20;

/**
 * Reads a body into one buffer of its own, copying each chunk as it comes, so that no step copies
 * the whole body at once (Fastify's own parser joins the chunks at the end: tens of ms for 10 MB,
 * in one go). The buffer takes the size Content-Length gives once the first MiB has come (it
 * grows by doubling without one); its bytes can then move to a worker thread without a copy
 * (work-pool.ts). The checks are Fastify's: 413 over `limit` (Content-Length or bytes received,
 * decompressed or not), 400 when fewer or more bytes came than Content-Length said.
 */
function collectBody(request: FastifyRequest, payload: BodyStream, limit: number, done: (error: Error | null, body?: Uint8Array) => void): void {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  const expected = Number.isInteger(declared) && declared >= 0 ? declared : undefined;
  // Content-Length is only a claim: no more than EAGER_BYTES are set aside before that many came.
  let bytes = new Uint8Array(Math.min(expected ?? 16 * 1024, EAGER_BYTES));
  let received = 0;
  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  const onData = (data: Buffer | string) => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (received + chunk.length > limit || (payload.receivedEncodedLength ?? 0) > limit) {
      stop();
      return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    }
    const needed = received + chunk.length;
    if (needed > bytes.length) {
      const size = expected !== undefined && needed <= expected ? expected : Math.min(limit, Math.max(2 * bytes.length, needed));
      const grown = new Uint8Array(size);
      grown.set(bytes.subarray(0, received));
      bytes = grown;
    }
    bytes.set(chunk, received);
    received += chunk.length;
  };
  const onEnd = (error?: Error & { statusCode?: number }) => {
    stop();
    if (error) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      return done(error);
    }
    if (!Number.isNaN(declared) && (payload.receivedEncodedLength || received) !== declared) return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    // Exactly the bytes received, in a buffer of that size (a copy only when it grew past them).
    done(null, received === bytes.length ? bytes : bytes.slice(0, received));
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

/** True when the bytes are only spaces, tabs and line breaks (it stops at the first other byte). */
function blank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

/**
 * A request's RDF body and its syntax, by Content-Type. Throws unsupported-media-type (415) for a
 * type that is not RDF and invalid-request (400) for an empty body. Parsing (with the bounds of
 * README "Bounds") is a body task: see src/catalog/body-work.ts.
 */
export function rdfBodyOf(request: FastifyRequest): { body: Uint8Array; format: FormatId } {
  const format = formatOfContentType(request.headers['content-type']);
  if (!format) {
    throw new KatalogError(
      'unsupported-media-type',
      `Send the body as RDF with its Content-Type: ${BODY_MEDIA_TYPES.join(', ')} (got ${clip(request.headers['content-type'] ?? 'none')}).`,
    );
  }
  const body = request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
  if (blank(body)) throw new KatalogError('invalid-request', 'The request body is empty: send an RDF document.');
  return { body, format: format.id };
}
