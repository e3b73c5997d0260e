import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientError, clip, sendProblem } from '../../src/http/problem.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';

// Every error the server sends is a small problem+json with a urn:katalog:problem type, whatever
// raised it (a route, a plugin, Fastify's router, Node's HTTP parser) and however large the input.

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'));
  // Some cases never reach inject (it normalises paths, has no HTTP parser): they go over a socket.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t.close());

/** Larger than any problem we send, far smaller than the inputs below. */
const SMALL = 1024;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

function expectProblem(answer: Answer, status: number, kind: string): Record<string, unknown> {
  expect(answer.status, answer.body.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.body.length).toBeLessThan(SMALL);
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  expect(problem.type).toBe(`urn:katalog:problem:${kind}`);
  expect(problem.status).toBe(status);
  return problem;
}

const answerOf = (response: { statusCode: number; headers: Answer['headers']; body: string }): Answer => ({
  status: response.statusCode,
  headers: response.headers,
  body: response.body,
});
const inject = async (url: string, headers: Record<string, string> = {}) => answerOf(await t.app.inject({ url, headers }));

/** Sends `request` as bytes and reads the answer until the server closes the connection. */
function raw(request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may close while we still write a refused request: what arrived is the answer.
    socket.on('error', () => {});
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4) });
    });
  });
}

const get = (path: string, extraHeaders = '') => raw(`GET ${path} HTTP/1.1\r\nhost: katalog.test\r\n${extraHeaders}connection: close\r\n\r\n`);

describe('clip', () => {
  it('leaves short text alone and cuts long text to the limit, ending in an ellipsis', () => {
    expect(clip('text/turtle')).toBe('text/turtle');
    expect(clip('a'.repeat(200))).toBe('a'.repeat(200));
    const clipped = clip('a'.repeat(5000));
    expect(clipped).toHaveLength(200);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clip('abcdef', 4)).toBe('abc…');
  });

  it('does not split a surrogate pair', () => {
    const clipped = clip('a'.repeat(198) + '😀'.repeat(10));
    expect(clipped).toBe('a'.repeat(198) + '…');
  });
});

describe('static paths outside the Swagger UI folder (finding 1)', () => {
  it.each([
    '/docs/static/../../package.json',
    '/docs/static/%2e%2e/%2e%2e/package.json',
    '/docs/static/a/../../../package.json',
    '/docs/static/./swagger-ui.css',
    '/docs/static//etc/passwd',
  ])('%s is forbidden (403), not an internal error', async (path) => {
    const answer = await get(path);
    const problem = expectProblem(answer, 403, 'forbidden');
    expect(answer.body).not.toContain('"name": "katalog"');
    expect(problem.detail).toBe('This path may not be served.');
  });

  it('a long one is answered without echoing it', async () => {
    const path = `/docs/static/${'x/'.repeat(3000)}../package.json`;
    const problem = expectProblem(await get(path), 403, 'forbidden');
    expect(problem.instance).toBeUndefined();
  });

  it('inject normalises the dot segments away: the path is then simply not found', async () => {
    expectProblem(await inject('/docs/static/../../package.json'), 404, 'not-found');
    expectProblem(await inject('/docs/static/%2e%2e/%2e%2e/package.json'), 404, 'not-found');
  });
});

describe('errors Fastify raises around the error handler (finding 2)', () => {
  it.each(['/datasets/%zz', '/%E0%A4%A', '/catalogs/%C0%AF'])('a malformed URL %s is invalid-request (400), not echoed', async (url) => {
    const problem = expectProblem(await inject(url), 400, 'invalid-request');
    expect(JSON.stringify(problem)).not.toContain('%');
    expect(problem.instance).toBeUndefined();
  });

  it('a malformed URL over a socket too', async () => {
    expectProblem(await get('/datasets/%zz'), 400, 'invalid-request');
  });

  it.each([2_000, 80_000])('an id of %d characters is invalid-request with status 414, not echoed', async (length) => {
    const answer = await inject(`/datasets/${'a'.repeat(length)}`);
    const problem = expectProblem(answer, 414, 'invalid-request');
    expect(answer.body).not.toContain('aaaaaaaaaa');
    expect(problem.instance).toBeUndefined();
  });

  it('an 80 KB path nothing serves is not-found, the URL clipped in detail and left out of instance', async () => {
    const problem = expectProblem(await inject(`/nothing/${'a'.repeat(80_000)}`), 404, 'not-found');
    expect(problem.detail).toMatch(/^Nothing is served at GET \/nothing\/a+…\.$/);
    expect(problem.instance).toBeUndefined();
  });

  it('an 80 KB URL over a socket is stopped by Node (431) and answered as a problem', async () => {
    const answer = await get(`/datasets/${'a'.repeat(80_000)}`);
    expectProblem(answer, 431, 'invalid-request');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).not.toContain('aaaaaaaaaa');
  });

  it('headers larger than maxHeaderSize are invalid-request with status 431, not echoed', async () => {
    const answer = await get('/catalog', `x-padding: ${'b'.repeat(20_000)}\r\n`);
    expectProblem(answer, 431, 'invalid-request');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).not.toContain('bbbbbbbbbb');
  });

  it.each([
    ['not HTTP at all', 'GARBAGE\r\n\r\n'],
    ['a header line without a colon', 'GET /catalog HTTP/1.1\r\nhost: katalog.test\r\nthis is no header\r\n\r\n'],
    ['a bad Content-Length', 'POST /validate HTTP/1.1\r\nhost: katalog.test\r\ncontent-length: abc\r\n\r\n'],
  ])('malformed HTTP (%s) is invalid-request (400) and closes the connection', async (_what, request) => {
    const answer = await raw(request);
    expectProblem(answer, 400, 'invalid-request');
    expect(answer.headers.connection).toBe('close');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  });

  it('a request timeout is invalid-request with status 408', () => {
    let written = '';
    let destroyed = false;
    const socket = { writable: true, write: (data: string) => (written += data), destroy: () => (destroyed = true) } as unknown as Socket;
    answerClientError(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    expect(written).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written).toContain('content-type: application/problem+json\r\n');
    expect(JSON.parse(written.slice(written.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: 'urn:katalog:problem:invalid-request', status: 408 });
    expect(destroyed).toBe(true);
  });

  it('nothing is written once a response has begun on the socket', () => {
    let written = '';
    const socket = { writable: true, _httpMessage: { headersSent: true }, write: (d: string) => (written += d), destroy: () => {} } as unknown as Socket;
    answerClientError(Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }), socket);
    expect(written).toBe('');
  });
});

describe('4xx errors from plugins keep their status and map to a kind', () => {
  // A bare server with our error handler stands in for a plugin raising these.
  const plugin = Fastify();
  plugin.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
  plugin.get('/raise/:status', async (request) => {
    const status = Number((request.params as { status: string }).status);
    throw Object.assign(new Error(`Refused ${'/raise'.repeat(500)}`), { statusCode: status });
  });
  afterAll(() => plugin.close());

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [405, 'invalid-request'],
    [408, 'invalid-request'],
    [414, 'invalid-request'],
    [418, 'invalid-request'],
    [431, 'invalid-request'],
    [500, 'internal'],
  ])('%d becomes %s', async (status, kind) => {
    const response = await plugin.inject({ url: `/raise/${status}` });
    const problem = expectProblem(answerOf(response), status, kind);
    if (status < 500) expect(problem.detail).toMatch(/^Refused \/raise[/raise]*…$/);
    if (status < 500) expect(problem.detail).toHaveLength(200);
  });
});

describe('the shared route schemas', () => {
  it.each([
    ['a record id with a space', '/datasets/a%20b'],
    ['a catalogue id with a slash in it', '/catalogs/a%2Fb'],
    ['a profile id in capitals', '/profiles/DCAT-AP-NO'],
    ['a vocabulary id with an underscore', '/vocabularies/eu_themes'],
    ['a format that is no offered extension', '/catalog?format=docx'],
    ['a page size of 0', '/catalog?pageSize=0'],
    ['a negative cursor', '/catalogs/brreg?pageSize=10&cursor=-1'],
  ])('refuse %s with 400 invalid-request', async (_what, url) => {
    expectProblem(await inject(url), 400, 'invalid-request');
  });

  it('refuse a profile id in capitals on POST /validate with 400 invalid-request', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/validate?profile=DCAT-AP',
      headers: { 'content-type': 'text/turtle' },
      payload: '<http://example.com/a> <http://purl.org/dc/terms/title> "a" .',
    });
    expectProblem(answerOf(response), 400, 'invalid-request');
  });
});

describe('a long Accept header (finding 3)', () => {
  it('is clipped in the 406', async () => {
    const problem = expectProblem(await inject('/catalog', { accept: 'x/y,'.repeat(2000) }), 406, 'not-acceptable');
    expect(problem.detail).toMatch(/^Cannot answer with (x\/y,)+[x/y]*…\. Offered: /);
  });
});

describe('modifiedSince on a leap second (finding 4)', () => {
  const etagOf = async (url: string) => {
    const response = await t.app.inject({ url });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    return response.headers.etag;
  };

  it.each(['/catalog', '/catalogs/brreg'])('%s reads second 60 as the last millisecond of its minute', async (path) => {
    const leap = await etagOf(`${path}?modifiedSince=2016-12-31T23:59:60Z`);
    expect(leap).toBe(await etagOf(`${path}?modifiedSince=2016-12-31T23:59:59.999Z`));
    expect(await etagOf(`${path}?modifiedSince=2017-01-01T00:59:60.5%2B01:00`)).toBe(leap);
  });

  it.each(['/catalog', '/catalogs/brreg'])('%s answers a normal value as before', async (path) => {
    expect(await etagOf(`${path}?modifiedSince=2016-12-31T23:59:59Z`)).toContain('-m1483228799000');
  });

  it.each(['/catalog', '/catalogs/brreg'])('%s refuses a date-time the schema admits but Date cannot read, naming the parameter', async (path) => {
    // An offset of hours only (+01) passes the date-time format; Date cannot parse it.
    const problem = expectProblem(await inject(`${path}?modifiedSince=2016-12-31T23:59:59%2B01`), 400, 'invalid-request');
    expect(problem.detail).toContain('modifiedSince');
  });
});

describe('library messages that quote the request (finding 5)', () => {
  it('an unknown Content-Encoding is clipped in the 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'text/turtle', 'content-encoding': 'z'.repeat(5000) },
      payload: '<a:b> <a:c> <a:d> .',
    });
    const problem = expectProblem(answerOf(response), 415, 'unsupported-media-type');
    expect(problem.detail).toMatch(/^Unsupported Content-Encoding: z+…$/);
  });
});
