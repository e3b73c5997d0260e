/**
 * Hostile requests to the change feed (docs/feed.md): numbers that are not change numbers, filters
 * repeated or overlong, Accept headers of junk, and more live clients than the bound, each answered
 * quickly with a small problem+json while the server stays responsive.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { CASE_TIMEOUT, hostileCase, useKatalog } from './harness.js';

const LIVE_CLIENTS = 20;
const katalog = useKatalog({ FEED_LIVE_MAX_CLIENTS: String(LIVE_CLIENTS) });

describe('hostile requests to the change feed', () => {
  hostileCase(
    'refuses a Last-Event-ID of 8,000 digits with 400',
    () => ({ method: 'GET', path: '/feed/live', headers: { 'last-event-id': '9'.repeat(8000) } }),
    {
      status: 400,
      kind: 'invalid-request',
    },
  );
  hostileCase('refuses a page number of 5,000 digits with 400', () => ({ method: 'GET', path: `/feed/pages/${'1'.repeat(5000)}` }), {
    status: [400, 414],
    kind: 'invalid-request',
  });
  hostileCase('refuses a kind filter given 1,000 times with 400', () => ({ method: 'GET', path: `/feed/pages/0?${'kind=dataset&'.repeat(1000)}` }), {
    status: 400,
    kind: 'invalid-request',
  });
  hostileCase(
    'refuses an Accept of 8 KB of junk with 406 and a clipped quote of it',
    () => ({ method: 'GET', path: '/feed/pages/0', accept: 'x/'.repeat(4000) }),
    {
      status: 406,
      kind: 'not-acceptable',
      check: (reply) => expect(reply.text.length).toBeLessThan(4096),
    },
  );
  hostileCase('answers a page far beyond the latest change with 404', () => ({ method: 'GET', path: '/feed/pages/999999999999999' }), {
    status: 404,
    kind: 'not-found',
  });

  it(
    'holds at most its bound of live clients: the next ones get 503 with Retry-After, and reads stay quick',
    async () => {
      const open: http.IncomingMessage[] = [];
      const connect = () => new Promise<http.IncomingMessage>((resolve, reject) => http.get(`${katalog.base}/feed/live`, resolve).on('error', reject));
      try {
        const answers = await Promise.all(Array.from({ length: LIVE_CLIENTS + 10 }, connect));
        for (const answer of answers)
          if (answer.statusCode === 200) open.push(answer);
          else answer.resume();
        expect(open.length).toBe(LIVE_CLIENTS);
        const refused = answers.filter((a) => a.statusCode === 503);
        expect(refused.length).toBe(10);
        expect(refused.every((a) => a.headers['retry-after'] === '5' && String(a.headers['content-type']).startsWith('application/problem+json'))).toBe(true);
        const start = performance.now();
        const page = await fetch(`${katalog.base}/feed/pages/0`);
        expect(page.status).toBe(200);
        expect(performance.now() - start).toBeLessThan(1000);
      } finally {
        for (const response of open) response.destroy();
      }
    },
    CASE_TIMEOUT,
  );
});
