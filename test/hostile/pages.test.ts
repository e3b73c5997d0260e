/**
 * Hostile requests to the pages for people (docs/pages.md): Accept and Accept-Language headers of
 * junk, query strings at and past their bounds, shapes named by paths, validator forms that are not
 * well-formed multipart or send more than the form does, and a record so large that only its page's
 * bounds keep the page small. Each is answered quickly (a page, or a problem) while the server stays
 * responsive, and nothing is stored.
 */
import { describe, expect } from 'vitest';
import { hostileCase, putDataset, useKatalog } from './harness.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const FORM_LIMIT = 256 * 1024;
useKatalog({ BODY_LIMIT: String(FORM_LIMIT) });

const page = (path: string, headers: Record<string, string> = {}) => ({ method: 'GET' as const, path, accept: BROWSER, headers });
const isPage = (reply: { contentType: string }) => expect(reply.contentType).toMatch(/^text\/html/);

/** A multipart body with a boundary of its own. */
function multipart(parts: Array<{ name: string; value: string | Buffer; filename?: string }>, end = true) {
  const boundary = 'hostile-boundary';
  const chunks: Buffer[] = parts.map((p) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n\r\n`),
      Buffer.from(p.value),
      Buffer.from('\r\n'),
    ]),
  );
  if (end) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { method: 'POST' as const, path: '/validate', accept: BROWSER, contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

describe('hostile requests to the pages', () => {
  hostileCase('gives a page to an Accept of 8 KB that names text/html a thousand times', () => page('/datasets', { accept: 'text/html,'.repeat(800) }), {
    status: 200,
    check: isPage,
  });
  hostileCase('reads 8 KB of junk Accept-Language as bokmål', () => page('/datasets/enhetsregisteret', { 'accept-language': 'x-'.repeat(4000) }), {
    status: 200,
    check: (reply) => {
      isPage(reply);
      expect(reply.text).toMatch(/<html lang="nb">/);
    },
  });
  hostileCase('refuses a ?lang= of 5,000 characters with 400', () => page(`/datasets/enhetsregisteret?lang=${'x'.repeat(5000)}`), {
    status: 400,
    kind: 'invalid-request',
  });
  hostileCase('refuses a shape named by a path with 400', () => page('/profiles/dcat-ap-no?shape=..%2F..%2Fetc%2Fpasswd'), {
    status: 400,
    kind: 'invalid-request',
  });
  hostileCase('refuses a search of 1,001 characters with 400', () => page(`/search?q=${'a'.repeat(1001)}`), { status: 400, kind: 'invalid-request' });
  hostileCase('answers a search page with 100 theme filters quickly', () => page(`/search?${'theme=ECON&'.repeat(100)}`), {
    status: 200,
    check: isPage,
  });
  hostileCase('refuses a search page with 101 theme filters with 400', () => page(`/search?${'theme=ECON&'.repeat(101)}`), {
    status: 400,
    kind: 'invalid-request',
  });
  hostileCase('answers a record page asked for a thousand times in one query string', () => page(`/datasets/enhetsregisteret?${'format=html&'.repeat(1000)}`), {
    status: [200, 400],
    kind: 'invalid-request',
  });

  hostileCase('shows a multipart body without its end as a 400 page', () => multipart([{ name: 'text', value: '<a> <b> <c> .' }], false), {
    status: 400,
    contentType: 'text/html',
  });
  hostileCase(
    'shows a multipart body without a boundary as a 400 page',
    () => ({ ...multipart([]), contentType: 'multipart/form-data', body: 'x'.repeat(100) }),
    {
      status: 400,
      contentType: 'text/html',
    },
  );
  hostileCase('shows 10,000 form fields as a 413 page', () => multipart(Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, value: 'v' }))), {
    status: 413,
    contentType: 'text/html',
  });
  hostileCase(
    'shows two files as a 413 page',
    () => multipart([1, 2].map((i) => ({ name: 'file', filename: `d${i}.ttl`, value: '<http://x.test/a> <http://x.test/b> "c" .' }))),
    {
      status: 413,
      contentType: 'text/html',
    },
  );
  hostileCase(
    'shows a file one byte over the body limit as a 413 page',
    () => multipart([{ name: 'file', filename: 'big.ttl', value: Buffer.alloc(FORM_LIMIT + 1, 0x23) }]),
    {
      status: 413,
      contentType: 'text/html',
    },
  );
  hostileCase(
    'shows a pasted text one byte over the body limit as a 413 page',
    () => multipart([{ name: 'text', value: Buffer.alloc(FORM_LIMIT + 1, 0x23) }]),
    {
      status: 413,
      contentType: 'text/html',
    },
  );
  hostileCase(
    'shows a pasted text of 200 KB of markup as a small page, not repeated',
    () =>
      multipart([
        { name: 'text', value: '<'.repeat(200 * 1024) },
        { name: 'syntax', value: 'turtle' },
      ]),
    {
      // A syntax error, or an IRI over its bound (413): either way the page is small and the text not repeated.
      status: [400, 413],
      contentType: 'text/html',
      maxBodyBytes: 100 * 1024,
      check: (reply) => expect(reply.text).toMatch(/<textarea[^>]*><\/textarea>/),
    },
  );
  hostileCase(
    'validates a file at the body limit, and shows at most 100 of its results',
    () => {
      const one = (i: number) => `<http://x.test/d${i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n`;
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size + one(i).length < FORM_LIMIT && i < 2_000; i++) {
        lines.push(one(i));
        size += one(i).length;
      }
      return multipart([{ name: 'file', filename: 'many.nt', value: lines.join('') }]);
    },
    {
      status: [422, 413],
      contentType: 'text/html',
      maxBodyBytes: 100 * 1024,
      maxMs: 10_000,
      maxLiveMs: 250,
      check: (reply) => expect((reply.text.match(/<tr class="/g) ?? []).length).toBeLessThanOrEqual(100),
    },
  );
  hostileCase(
    'ignores form fields named __proto__ and constructor',
    () =>
      multipart([
        { name: '__proto__', value: 'x' },
        { name: 'constructor', value: 'y' },
        { name: 'text', value: '<http://x.test/a> <http://x.test/b> "c" .' },
        { name: 'syntax', value: 'ntriples' },
      ]),
    {
      status: [200, 400],
      contentType: 'text/html',
    },
  );

  hostileCase(
    'stores a dataset with 3,500 keywords and 200 distributions',
    (katalog) => {
      const keywords = Array.from({ length: 3_500 }, (_, i) => `"emneord ${i} <b>"@nb`).join(', ');
      const distributions = Array.from({ length: 200 }, (_, i) => `[ a dcat:Distribution ; dct:title "D${i}"@nb ; dcat:accessURL <https://x.test/${i}> ]`).join(
        ', ',
      );
      return putDataset(katalog, 'stor', `dcat:keyword ${keywords} ; dcat:distribution ${distributions}`);
    },
    // The write's own answer carries its report of a thousand warnings (README, Writing records).
    { status: 201, writes: true, maxMs: 5_000, maxLiveMs: 250, maxBodyBytes: 1024 * 1024 },
  );
  hostileCase('keeps the page of that dataset under 100 KB', () => page('/datasets/stor'), {
    status: 200,
    maxBodyBytes: 100 * 1024,
    maxMs: 3_000,
    check: isPage,
  });
});
