import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a request id comes in and goes back out in (README "Operations"). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What an incoming id may be to be kept: short, and nothing a log line or a header could be
 * broken by (no spaces, no CR or LF, no quotes).
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Fastify's genReqId: the caller's `X-Request-Id` when it is a short safe token, so that a proxy's
 * or a client's id follows the request into our logs; otherwise a new UUID. A hostile id (long,
 * with spaces or control characters, or sent twice, which Node joins with ", ") is replaced,
 * never cleaned: a cleaned id would look like the caller's and not be it.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const incoming = raw.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
