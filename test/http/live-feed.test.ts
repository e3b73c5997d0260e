import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { loadDirectory } from '../../src/catalog/data-loader.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { projectFile } from '../../src/project-files.js';
import { buildTestProcesses, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE, TEST_CONTEXT_URL } from '../helpers/graphs.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

const BRREG = '974760673';
const orgIri = (org: string) => `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${org}`;
const dataset = (
  n: number,
) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
[] a dcat:Dataset ; dct:identifier "live-${n}" ; dct:title "Datasett ${n}"@nb ; dct:description "Beskrivelse."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ; dct:publisher <${orgIri(BRREG)}> .
<${orgIri(BRREG)}> a foaf:Agent ; dct:identifier "${BRREG}" ; foaf:name "Brønnøysundregistrene"@nb .`;

const execFileAsync = promisify(execFile);
const MAX_CLIENTS = 3;
let t: TestApp;
let other: TestApp;
let key: string;
let urls: string[];

beforeAll(async () => {
  const env = { FEED_LIVE_MAX_CLIENTS: String(MAX_CLIENTS), FEED_LIVE_HEARTBEAT_MS: '200' };
  [t, other] = (await buildTestProcesses(join(FIXTURES, 'http'), 2, { env })) as [TestApp, TestApp];
  key = (await createApiKey(t.store, BRREG)).key;
  urls = [];
  for (const app of [t, other]) {
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    urls.push(`http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`);
  }
});
afterAll(async () => {
  await other.close();
  await t.close();
});

let created = 0;
/** Creates a dataset through the API (process `app`); resolves with its change number. */
async function create(app = t): Promise<number> {
  const response = await app.app.inject({
    method: 'POST',
    url: '/datasets',
    payload: dataset(++created),
    headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
  });
  expect(response.statusCode, response.body).toBe(201);
  return (await t.store.version()).lastSeq;
}

interface Event {
  id?: string;
  data?: string;
  comment?: string;
}

/** An SSE client: the response, the events so far, and a way to wait for more. */
async function connect(path: string, headers: Record<string, string> = {}, base = urls[0]!) {
  const response = await new Promise<IncomingMessage>((resolve, reject) => httpGet(`${base}${path}`, { headers }, resolve).on('error', reject));
  const events: Event[] = [];
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: Event = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) event.data = line.slice(6);
      }
      events.push(event);
    }
  });
  const changes = () => events.filter((e) => e.id !== undefined);
  const until = async (test: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!test() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
    return test();
  };
  return { response, events, changes, until, close: () => response.destroy() };
}

describe('live events (GET /feed/live)', () => {
  it('sends a change made through the API to a connected client as a CloudEvent, with its number as id', async () => {
    const client = await connect('/feed/live');
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
    const seq = await create();
    expect(await client.until(() => client.changes().length > 0)).toBe(true);
    const [event] = client.changes();
    expect(event!.id).toBe(String(seq));
    const cloud = JSON.parse(event!.data!);
    const change = (await t.store.changes(seq - 1, 1))[0]!;
    expect(cloud).toMatchObject({
      specversion: '1.0',
      id: `${TEST_BASE}/feed/activities/${seq}`,
      source: `${TEST_BASE}/feed`,
      type: 'https://www.w3.org/ns/activitystreams#Create',
      subject: change.iri,
      time: change.at,
      data: { record: change.iri, kind: 'dataset', publisher: orgIri(BRREG), organisation: BRREG, sequence: seq, type: 'Create' },
    });
    client.close();
  });

  it('gives a client that comes back with Last-Event-ID every change it missed, in order, then the new ones', async () => {
    const first = await create();
    const missed = [await create(), await create(), await create()];
    const client = await connect('/feed/live', { 'last-event-id': String(first) });
    expect(await client.until(() => client.changes().length >= missed.length)).toBe(true);
    const next = await create();
    expect(await client.until(() => client.changes().length >= missed.length + 1)).toBe(true);
    expect(client.changes().map((e) => Number(e.id))).toEqual([...missed, next]);
    // ?after= says the same for clients that cannot send the header.
    const again = await connect(`/feed/live?after=${first}`);
    expect(await again.until(() => again.changes().length >= 4)).toBe(true);
    expect(again.changes().map((e) => Number(e.id))).toEqual([...missed, next]);
    client.close();
    again.close();
  });

  it('reaches clients of another process: a change through one arrives at the other', async () => {
    const client = await connect('/feed/live', {}, urls[1]);
    const seq = await create(t);
    expect(await client.until(() => client.changes().length > 0)).toBe(true);
    expect(client.changes().map((e) => Number(e.id))).toEqual([seq]);
    client.close();
  });

  it('follows one kind or organisation only', async () => {
    const services = await connect('/feed/live?kind=service');
    const brreg = await connect(`/feed/live?organisation=${BRREG}`);
    const seq = await create();
    expect(await brreg.until(() => brreg.changes().length > 0)).toBe(true);
    expect(brreg.changes().map((e) => Number(e.id))).toEqual([seq]);
    expect(services.changes()).toEqual([]);
    services.close();
    brreg.close();
  });

  it('takes a filtered client far behind through its backlog to the live changes, however many others the tail has read', async () => {
    const tail = await connect('/feed/live'); // keeps the tail reading
    for (let i = 0; i < 3; i++) await create(); // datasets: none a service
    expect(await tail.until(() => tail.changes().length >= 3)).toBe(true);
    const services = (await t.store.changes(0, 100_000)).filter((c) => c.kind === 'service').map((c) => c.seq);
    const client = await connect('/feed/live?kind=service&after=0');
    expect(await client.until(() => client.changes().length >= services.length)).toBe(true);
    // A service changes now: it arrives live.
    await loadDirectory(t.store, join(FIXTURES, 'http'), { baseUrl: TEST_BASE, knownContexts: { [TEST_CONTEXT_URL]: CONTEXT_DOCUMENT } });
    const now = (await t.store.changes(0, 100_000)).filter((c) => c.kind === 'service').map((c) => c.seq);
    expect(now.length).toBeGreaterThan(services.length);
    expect(await client.until(() => client.changes().length >= now.length)).toBe(true);
    expect(client.changes().map((e) => Number(e.id))).toEqual(now);
    tail.close();
    client.close();
  });

  it('counts its clients in /metrics', async () => {
    const clients = () => t.app.inject({ url: '/metrics' }).then((r) => sampleValue(parsePrometheus(r.body), 'katalog_feed_live_clients'));
    const settle = async (count: number) => {
      const until = Date.now() + 2000;
      while ((await clients()) !== count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      return clients();
    };
    expect(await settle(0)).toBe(0); // the clients of earlier tests have gone
    const a = await connect('/feed/live');
    const b = await connect('/feed/live');
    try {
      expect(await clients()).toBe(2);
    } finally {
      a.close();
      b.close();
    }
    expect(await settle(0)).toBe(0);
  });

  it('keeps an idle connection open with heartbeats', async () => {
    const client = await connect('/feed/live');
    expect(await client.until(() => client.events.some((e) => e.comment === 'heartbeat'), 2000)).toBe(true);
    client.close();
  });

  it('refuses a client beyond the bound with 503 problem+json and Retry-After, and takes one again when a place is free', async () => {
    const clients = [];
    for (let i = 0; i < MAX_CLIENTS; i++) clients.push(await connect('/feed/live'));
    const refused = await connect('/feed/live');
    expect(refused.response.statusCode).toBe(503);
    expect(refused.response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.response.headers['retry-after']).toBe('5');
    clients.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const admitted = await connect('/feed/live');
    expect(admitted.response.statusCode).toBe(200);
    for (const client of [...clients, admitted]) client.close();
  });

  it("is followed by the README's script, which resumes where it stopped", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'katalog-follow-'));
    // Asynchronously: the server it reads from answers in this process.
    const run = async () =>
      (await execFileAsync(process.execPath, [projectFile('docs', 'follow-feed.mjs'), urls[0]!], { cwd, encoding: 'utf8', timeout: 20_000 })).stdout;
    try {
      const lines = (await run()).trim().split('\n');
      const changes = await t.store.changes(0, 100_000);
      expect(lines.map((l) => Number(l.split('\t')[0]))).toEqual(changes.map((c) => c.seq));
      expect(lines[0]).toMatch(/^1\tCreate\t/);
      const seq = await create();
      expect((await run()).trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${seq}\tCreate\t`))]);
      expect((await run()).trim()).toBe('');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it.each([
    ['last-event-id', 'garbage'],
    ['last-event-id', '-1'],
    ['last-event-id', '1e3'],
    ['last-event-id', '99999999999'],
  ])('answers %s: %s with 400 problem+json', async (name, value) => {
    const before = await t.store.state();
    const response = await t.app.inject({ method: 'GET', url: '/feed/live', headers: { [name]: value } });
    expect(response.statusCode).toBe(400);
    expect(response.json().type).toBe('urn:katalog:problem:invalid-request');
    expect(await t.store.state()).toEqual(before);
  });

  it('answers a bad ?after= or filter with 400 problem+json', async () => {
    for (const url of ['/feed/live?after=x', '/feed/live?kind=nope', '/feed/live?organisation=1']) {
      const before = await t.store.state();
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().type).toBe('urn:katalog:problem:invalid-request');
      expect(await t.store.state()).toEqual(before);
    }
  });
});
