import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clip } from '../core/budgets.js';
import { KatalogError } from '../core/errors.js';
import { formatOfContentType, type FormatId, INPUT_MEDIA_TYPES } from '../core/media-types.js';

/** Media types accepted as request bodies. */
export const BODY_MEDIA_TYPES = INPUT_MEDIA_TYPES;

/**
 * Replaces Fastify's JSON and text parsers by one that keeps every body as a string, whatever its
 * type, so that the route answers an unsupported Content-Type with a 415 that lists what it takes.
 */
export function registerRdfBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, body));
}

/**
 * A request's RDF body and its syntax, by Content-Type. Throws unsupported-media-type (415) for a
 * type that is not RDF and invalid-request (400) for an empty body. Parsing (with the bounds of
 * README "Bounds") is a body task: see src/catalog/body-work.ts.
 */
export function rdfBodyOf(request: FastifyRequest): { text: string; format: FormatId } {
  const format = formatOfContentType(request.headers['content-type']);
  if (!format) {
    throw new KatalogError(
      'unsupported-media-type',
      `Send the body as RDF with its Content-Type: ${BODY_MEDIA_TYPES.join(', ')} (got ${clip(request.headers['content-type'] ?? 'none')}).`,
    );
  }
  const text = typeof request.body === 'string' ? request.body : '';
  if (text.trim() === '') throw new KatalogError('invalid-request', 'The request body is empty: send an RDF document.');
  return { text, format: format.id };
}
