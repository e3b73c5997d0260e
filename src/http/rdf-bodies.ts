import type { Quad } from '@rdfjs/types';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KatalogError } from '../core/errors.js';
import { formatOfContentType, INPUT_MEDIA_TYPES } from '../core/media-types.js';
import { parseRdf } from '../core/parse.js';

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

export interface InputLimits {
  maxTriples: number;
  maxLiteralLength: number;
  maxJsonLdDepth: number;
}

export interface RdfBodyOptions {
  baseIRI: string;
  knownContexts: Record<string, unknown>;
  limits: InputLimits;
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
  if (body.trim() === '') throw new KatalogError('invalid-request', 'The request body is empty: send an RDF document.');
  const { limits } = options;
  const quads = await parseRdf(body, format.id, { ...options, maxJsonDepth: limits.maxJsonLdDepth });
  if (quads.length > limits.maxTriples) {
    throw new KatalogError('payload-too-large', `The body holds ${quads.length} triples; at most ${limits.maxTriples} are accepted per request.`);
  }
  const long = quads.find((q) => q.object.termType === 'Literal' && q.object.value.length > limits.maxLiteralLength);
  if (long) {
    throw new KatalogError(
      'payload-too-large',
      `The value of <${long.predicate.value}> on ${long.subject.value} is ${long.object.value.length} characters long; at most ${limits.maxLiteralLength} are accepted.`,
    );
  }
  return quads;
}
