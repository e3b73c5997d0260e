import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, KatalogError } from '../core/errors.js';
import { INPUT_MEDIA_TYPES, negotiateLanguage } from '../core/media-types.js';
import { documentReportJson } from '../core/validation/report.js';
import { clip as clipText } from '../core/budgets.js';
import { REQUEST_ID_HEADER } from './request-ids.js';

/** Every error kind Katalog answers with (docs/design.md, Errors): status and title, in one table. */
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
  unrepresentable: { status: 422, title: 'A served syntax cannot express the description' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'store-unavailable': { status: 503, title: 'The store is not available' },
  'budget-exceeded': { status: 503, title: 'The request needs more work than one request may take' },
  'too-many-clients': { status: 503, title: 'No room for another live client' },
  internal: { status: 500, title: 'Internal error' },
};

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export function problemType(code: ErrorCode): string {
  return `urn:katalog:problem:${code}`;
}

/** A problem without its detail: the frame a validation report fills (reportProblem). */
export interface ProblemFrame {
  type: string;
  title: string;
  status: number;
  instance?: string;
  [extension: string]: unknown;
}

export interface Problem extends ProblemFrame {
  detail: string;
}

/** How much of anything quoted from a request (a URL, a header) a problem may repeat. */
const QUOTE_LIMIT = 200;

/** Clips text quoted from a request (a URL, a header) to QUOTE_LIMIT characters. */
export function clip(text: string, max = QUOTE_LIMIT): string {
  return clipText(text, max);
}

/**
 * `status` overrides the kind's own when the error came with another one of the same family (a
 * plugin's 405 or 414 is invalid-request, but keeps its status).
 */
export function toProblem(error: KatalogError, instance?: string, status?: number): Problem {
  const { status: kindStatus, title } = PROBLEMS[error.code];
  const extensions = Object.fromEntries(Object.entries(error.extensions).filter(([, v]) => v !== undefined));
  return { type: problemType(error.code), title, status: status ?? kindStatus, detail: error.message, instance, ...extensions };
}

/**
 * The problem+json body of a validation report (docs/design.md, Errors): a refused write, or POST
 * /validate with violations. `reportJson` is documentReportJson serialised (by a worker, for POST
 * /validate), framed here rather than parsed and written again: the problem's type, title and
 * status, then the report's members (its detail is the problem's), then the instance and any other
 * member of `problem`.
 */
export function reportProblem(problem: ProblemFrame, reportJson: string): string {
  const { type, title, status, ...tail } = problem;
  const head = JSON.stringify({ type, title, status });
  const rest = JSON.stringify(tail);
  return `${head.slice(0, -1)},${reportJson.slice(1, -1)}${rest === '{}' ? '' : `,${rest.slice(1, -1)}`}}`;
}

/** 4xx statuses Fastify or a plugin raises, mapped to our kinds; any other 4xx is invalid-request. */
const FASTIFY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  406: 'not-acceptable',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

/** Our words for Fastify's and its plugins' errors whose own message quotes the URL. */
const FASTIFY_DETAIL: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid: it has a malformed percent-encoding or is not UTF-8.',
  FST_ERR_MAX_PARAM_LENGTH: 'A segment of the URL path is longer than this server accepts.',
  FST_STATIC_FORBIDDEN_PATH: 'This path may not be served.',
  FST_STATIC_INVALID_REDIRECT_URL: 'This path may not be served.',
};

/** The status of an error Fastify or a plugin raised for the client's mistake (4xx), if it is one. */
function clientStatusOf(error: unknown): number | undefined {
  if (error instanceof KatalogError) return undefined;
  const status = (error as Partial<FastifyError> | undefined)?.statusCode;
  return Number.isInteger(status) && status! >= 400 && status! < 500 ? status : undefined;
}

/**
 * Translates any error into a KatalogError: ours pass through; Fastify's and its plugins' client
 * errors (schema validation, body limits, media types, bad URLs, forbidden static paths) map by
 * status, their message clipped or replaced since some quote the request; anything else is
 * internal, and its message is replaced so that no stack or driver text reaches the client.
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
  const status = clientStatusOf(error);
  if (status) return new KatalogError(FASTIFY_STATUS[status] ?? 'invalid-request', FASTIFY_DETAIL[e.code] ?? clip(e.message));
  if (e.statusCode === 503) return new KatalogError('store-unavailable', clip(e.message));
  return new KatalogError('internal', 'Something went wrong on our side; it has been logged.');
}

/**
 * `instance` names the request's URL only when it is short and well-formed: a clipped or
 * malformed one would be no URI reference (RFC 9457 section 3.1.5).
 */
export function instanceOf(url: string): string | undefined {
  if (url.length > QUOTE_LIMIT) return undefined;
  try {
    decodeURI(url);
    return url;
  } catch {
    return undefined;
  }
}

/** Details that quote the URL (the not-found handler's) quote a long one clipped. */
function withUrlClipped(detail: string, url: string): string {
  return url.length > QUOTE_LIMIT ? detail.replaceAll(url, clip(url)) : detail;
}

/** The kind of problem each request was answered with, for the metrics of refused writes. */
const answeredKinds = new WeakMap<FastifyRequest, ErrorCode>();

/** The kind of problem `request` was answered with by sendProblem, if it was. */
export function problemKindOf(request: FastifyRequest): ErrorCode | undefined {
  return answeredKinds.get(request);
}

/**
 * Answers with the error as problem+json. The body carries the request's id (`requestId`, also in
 * the `X-Request-Id` header and in every log line of the request), so that a caller who reports a
 * problem gives us what finds its log lines.
 */
export async function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<void> {
  const katalogError = asKatalogError(error);
  answeredKinds.set(request, katalogError.code);
  const problem = toProblem(katalogError, instanceOf(request.url), clientStatusOf(error));
  problem.detail = withUrlClipped(problem.detail, request.url);
  problem.requestId = request.id;
  const validation = katalogError.extensions.validation as Parameters<typeof documentReportJson>[0] | undefined;
  let body: Problem | string = problem;
  if (validation) {
    const { validation: _raw, detail: _detail, ...rest } = problem;
    body = reportProblem(rest, JSON.stringify(documentReportJson(validation, negotiateLanguage(request.headers['accept-language']))));
  }
  // 503s and 429s say when to come back (README "Bounds"): a store that cannot answer, in a second unless it said otherwise.
  const retryAfter = katalogError.extensions.retryAfter ?? (katalogError.code === 'store-unavailable' ? 1 : undefined);
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  // A refused credential says which scheme to use and, for a token, what was wrong (RFC 6750); the header only.
  const challenge = katalogError.extensions.wwwAuthenticate;
  if (typeof challenge === 'string') {
    reply.header('www-authenticate', challenge);
    delete problem.wwwAuthenticate;
  }
  if (problem.status >= 500 && katalogError.code !== 'budget-exceeded' && katalogError.code !== 'too-many-clients')
    request.log.error({ err: error }, 'request failed');
  // Set here too: what Fastify refuses before any hook (a malformed URL) reaches no onRequest hook.
  reply.header(REQUEST_ID_HEADER, request.id);
  await reply.code(problem.status).type(PROBLEM_MEDIA_TYPE).header('cache-control', 'no-store').send(body);
}

/** What Node's HTTP parser refused, by its error code: the status, and a detail quoting nothing. */
function clientErrorOf(code: string | undefined): { status: number; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: 'The request line and headers are larger than this server accepts.' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, detail: 'The request did not arrive in time.' };
  return { status: 400, detail: 'The request is not valid HTTP/1.1.' };
}

/** The server's response in flight on a socket, if any (Node keeps it there, unexported). */
const inFlight = (socket: Socket) => (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;

/**
 * Fastify's clientErrorHandler: what never became a request (malformed HTTP, a request line and
 * headers over Node's maxHeaderSize, a request timeout) has no reply to send a problem with, so
 * the response is written raw and the connection closed, its remaining bytes being unreadable.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // As Node's own handler: nothing to say on a reset or closed socket, or once a response has begun.
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight(socket)?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, detail } = clientErrorOf(error.code);
  const body = JSON.stringify(toProblem(new KatalogError('invalid-request', detail), undefined, status));
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${PROBLEM_MEDIA_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n`;
  // Written then destroyed, as Node and Fastify do: a small write leaves at once.
  socket.write(head + body);
  socket.destroy();
}
