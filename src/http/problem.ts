import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, KatalogError } from '../core/errors.js';
import { INPUT_MEDIA_TYPES, negotiateLanguage } from '../core/media-types.js';
import { documentReportJson } from '../core/validation/report.js';

/** Every error kind Katalog answers with (DESIGN section 9): status and title, in one table. */
export const PROBLEMS: Record<ErrorCode, { status: number; title: string }> = {
  'rdf-syntax': { status: 400, title: 'The RDF document has a syntax error' },
  'invalid-request': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'A valid credential is needed' },
  forbidden: { status: 403, title: 'This caller may not do this' },
  'not-found': { status: 404, title: 'Nothing is here' },
  'not-acceptable': { status: 406, title: 'None of the accepted media types can be served' },
  conflict: { status: 409, title: 'The request conflicts with what is stored' },
  'precondition-failed': { status: 412, title: 'A precondition failed' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body media type is not supported' },
  'shacl-violation': { status: 422, title: 'The description violates its profile' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'store-unavailable': { status: 503, title: 'The store is not available' },
  internal: { status: 500, title: 'Internal error' },
};

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export function problemType(code: ErrorCode): string {
  return `urn:katalog:problem:${code}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function toProblem(error: KatalogError, instance?: string): Problem {
  const { status, title } = PROBLEMS[error.code];
  const extensions = Object.fromEntries(Object.entries(error.extensions).filter(([, v]) => v !== undefined));
  return { type: problemType(error.code), title, status, detail: error.message, instance, ...extensions };
}

/** Status codes Fastify itself raises, mapped to our kinds. */
const FASTIFY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid-request',
  404: 'not-found',
  406: 'not-acceptable',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  503: 'store-unavailable',
};

/**
 * Translates any error into a KatalogError: ours pass through; Fastify's client errors (schema
 * validation, body limits, media types) map by status; anything else is internal, and its message
 * is replaced so that no stack or driver text reaches the client.
 */
export function asKatalogError(error: unknown): KatalogError {
  if (error instanceof KatalogError) return error;
  const e = error as FastifyError;
  if (e.validation) return new KatalogError('invalid-request', `Invalid request: ${e.message}.`);
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new KatalogError('unsupported-media-type', `Send the body as RDF with its Content-Type: ${INPUT_MEDIA_TYPES.join(', ')}.`);
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new KatalogError('payload-too-large', `The body is larger than this server accepts (${e.message}).`);
  }
  const code = e.statusCode ? FASTIFY_STATUS[e.statusCode] : undefined;
  if (code) return new KatalogError(code, e.message);
  return new KatalogError('internal', 'Something went wrong on our side; it has been logged.');
}

export async function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<void> {
  const katalogError = asKatalogError(error);
  let problem = toProblem(katalogError, request.url);
  const validation = katalogError.extensions.validation as Parameters<typeof documentReportJson>[0] | undefined;
  if (validation) {
    const { validation: _raw, ...rest } = problem;
    problem = { ...rest, ...documentReportJson(validation, negotiateLanguage(request.headers['accept-language'])) };
  }
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  await reply.code(problem.status).type(PROBLEM_MEDIA_TYPE).header('cache-control', 'no-store').send(problem);
}
