import type { Quad } from '@rdfjs/types';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KatalogError } from '../core/errors.js';
import { formatOfContentType } from '../core/media-types.js';
import { parseRdf } from '../core/parse.js';

/** Media types accepted as request bodies; each is read as a string and parsed by the route. */
export const BODY_MEDIA_TYPES = [
  'text/turtle',
  'application/x-turtle',
  'application/ld+json',
  'application/json',
  'application/n-triples',
  'text/plain',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
  'application/n-quads',
  'application/trig',
];

/** Replaces Fastify's JSON and text parsers by one that keeps every RDF body as a string. */
export function registerRdfBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(BODY_MEDIA_TYPES, { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, body));
}

export interface RdfBodyOptions {
  baseIRI: string;
  knownContexts: Record<string, unknown>;
}

/**
 * Parses a request body by its Content-Type. Throws unsupported-media-type (415) for a type that is
 * not RDF, invalid-request (400) for an empty body, rdf-syntax (400) with line and column.
 */
export async function readRdfBody(request: FastifyRequest, options: RdfBodyOptions): Promise<Quad[]> {
  const format = formatOfContentType(request.headers['content-type']);
  if (!format) {
    throw new KatalogError(
      'unsupported-media-type',
      `Send the body as RDF with its Content-Type: ${BODY_MEDIA_TYPES.join(', ')} (got ${request.headers['content-type'] ?? 'none'}).`,
    );
  }
  const body = typeof request.body === 'string' ? request.body : '';
  if (body.trim() === '') throw new KatalogError('invalid-request', 'The request body is empty: send the RDF document to check.');
  return parseRdf(body, format.id, options);
}
