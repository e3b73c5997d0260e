import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkCommand } from '../../src/cli/check.js';
import { PROBE_DEFAULTS, probeUrls } from '../../src/cli/url-probe.js';
import { resources } from '../helpers/validation.js';
import { HARVEST_CAP } from '../../src/catalog/preflight.js';
import { projectFile } from '../../src/project-files.js';

/**
 * `katalog check` (README "Harvest preflight") against an HTTP server of the test's own on
 * 127.0.0.1: what a harvester would import, refuse and drop, and the exit codes.
 */

const PREFIXES = '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .';
const ORG = 'https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673';
const dataset = (iri: string, id = 'a') =>
  `${iri} a dcat:Dataset ; dct:identifier "${id}" ; dct:title "Datasett"@nb ; dct:description "Et datasett."@nb ; dct:publisher <${ORG}> ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> .`;
const GOOD = `${PREFIXES}\n<http://x.test/c> a dcat:Catalog ; dct:identifier "c" ; dct:title "K"@nb ; dct:description "K"@nb ; dct:publisher <${ORG}> ; dcat:dataset <http://x.test/a> .\n${dataset('<http://x.test/a>')}`;

let server: Server;
let base = '';
let blank = 0;
let version = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    const turtle = (body: string, headers: Record<string, string> = {}) => response.writeHead(200, { 'content-type': 'text/turtle', ...headers }).end(body);
    switch (request.url) {
      case '/good.ttl':
        return turtle(GOOD, { etag: '"v1"', 'cache-control': 'max-age=3600' });
      case '/wrong-type':
        return response.writeHead(200, { 'content-type': 'text/plain' }).end(GOOD);
      case '/redirect':
        return response.writeHead(302, { location: '/good.ttl' }).end();
      case '/broken':
        return response.writeHead(500).end('oops');
      case '/huge': {
        // More than the cap, without Content-Length: the check stops reading at the cap.
        response.writeHead(200, { 'content-type': 'text/turtle' });
        const line = Buffer.alloc(1024 * 1024, 0x23);
        line[line.length - 1] = 0x0a;
        let sent = 0;
        const write = () => {
          while (sent <= HARVEST_CAP + 1024 * 1024) {
            sent += line.length;
            if (!response.write(line)) return void response.once('drain', write);
          }
          response.end();
        };
        return write();
      }
      case '/undeclared':
        return turtle(`${PREFIXES}\n<http://x.test/a> a dcat:Dataset ;\n  foaf:name "x" .`);
      case '/blank':
        // A dataset without an IRI: the harvester drops it.
        return turtle(`${PREFIXES}\n${dataset('<http://x.test/a>')}\n${dataset('[]', 'b')}`);
      case '/relative':
        return turtle(`${PREFIXES}\n${dataset('<datasets/r>')}`);
      case '/unstable':
        // Other blank node labels on each fetch: the same graph.
        blank++;
        return turtle(`${PREFIXES}\n${dataset('<http://x.test/a>')}\n<http://x.test/a> dcat:contactPoint _:c${blank} . _:c${blank} dct:title "Kontakt" .`);
      case '/changing':
        version++;
        return turtle(`${PREFIXES}\n${dataset('<http://x.test/a>')}\n<http://x.test/a> dct:modified "2026-01-0${version}" .`);
      case '/conflicts':
        // One IRI typed as two kinds; one dataset listed by two catalogues.
        return turtle(
          `${PREFIXES}\n<http://x.test/c1> a dcat:Catalog ; dcat:dataset <http://x.test/a> .\n<http://x.test/c2> a dcat:Catalog ; dcat:dataset <http://x.test/a> .\n${dataset('<http://x.test/a>')}\n${dataset('<http://x.test/s>', 's')}\n<http://x.test/s> a dcat:DataService .`,
        );
      case '/problems':
        return turtle(
          `${PREFIXES}\n<http://x.test/c> a dcat:Catalog ; dct:title "K"@nb ; dcat:dataset <http://x.test/a>, <http://x.test/b>, <http://x.test/gone> .\n${dataset('<http://x.test/a>', 'same')}\n${dataset('<http://x.test/b>', 'same')}\n<http://x.test/a> <http://x.test/1> "RDF/XML cannot name this predicate" .`,
        );
      case '/quality.ttl':
        // Two datasets whose distributions' URLs are this server's: one whose URLs all answer as
        // they say, one whose file does not parse and whose access URL is gone.
        return turtle(`${PREFIXES} @prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
          ${dataset('<http://x.test/q1>', 'q1')}
          <http://x.test/q1> dcat:distribution [ a dcat:Distribution ; dcat:accessURL <${base}/api> ; dcat:downloadURL <${base}/file.json> ;
            dct:format ft:JSON ; dcat:mediaType <https://www.iana.org/assignments/media-types/application/json> ] .
          ${dataset('<http://x.test/q2>', 'q2')}
          <http://x.test/q2> dcat:distribution [ a dcat:Distribution ; dcat:accessURL <${base}/gone> ; dcat:downloadURL <${base}/bad.json> ;
            dct:format ft:JSON ] .`);
      case '/api':
        // HEAD is not allowed here: the check asks again with GET.
        return request.method === 'HEAD' ? response.writeHead(405).end() : response.writeHead(200, { 'content-type': 'text/html' }).end('<p>API</p>');
      case '/file.json':
        return response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"rows": [1, 2, 3]}');
      case '/context.jsonld':
        return response.writeHead(200, { 'content-type': 'application/ld+json' }).end(
          JSON.stringify({
            '@context': { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', title: { '@id': 'dct:title', '@language': 'nb' } },
          }),
        );
      case '/remote-context.jsonld':
        // JSON-LD naming its context by URL, as many sources do: the harvester loads it.
        return response
          .writeHead(200, { 'content-type': 'application/ld+json' })
          .end(JSON.stringify({ '@context': `${base}/context.jsonld`, '@id': 'http://x.test/j', '@type': 'dcat:Dataset', title: 'Med fjern kontekst' }));
      case '/notes.txt':
        return response.writeHead(200, { 'content-type': 'text/plain' }).end('Just text, not N-Triples.');
      case '/slow.json': {
        // The headers at once, the body too late.
        response.writeHead(200, { 'content-type': 'application/json' }).write('{"rows": [');
        const timer = setTimeout(() => response.end('1]}'), 1_500);
        return void response.on('close', () => clearTimeout(timer));
      }
      case '/bad.json':
        return response.writeHead(200, { 'content-type': 'application/json' }).end('{"rows": [1, 2');
      default:
        return response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const KATALOG =
  process.env.CI === 'true' && existsSync(projectFile('dist', 'src', 'main.js'))
    ? [projectFile('dist', 'src', 'main.js')]
    : ['--import', 'tsx', projectFile('src', 'main.ts')];

/** The command in this process (what it prints, and its exit code): as main.ts runs it. */
async function check(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (out += `${parts.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void (err += `${parts.join(' ')}\n`));
  try {
    return { status: await checkCommand(args, resources()), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The command as a person runs it, in a process of its own (asynchronously: the test's own server answers it). */
function spawned(...args: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...KATALOG, 'check', ...args]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => resolve({ status: status ?? -1, out }));
  });
}

describe('katalog check', () => {
  it('says a good source is ready (exit 0): what it imports, a second fetch the same, its caching headers', async () => {
    const { status, out } = await check(`${base}/good.ttl`, '--format', 'json');
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(report).toMatchObject({ records: { catalog: 1, dataset: 1 }, stable: true, problems: [], caching: { etag: '"v1"', cacheControl: 'max-age=3600' } });
    expect(status).toBe(0);
  });

  it('exits 2 on a redirect, a 500, a body over the cap and an undeclared prefix, saying why', async () => {
    const redirect = await check(`${base}/redirect`);
    expect(redirect.status).toBe(2);
    expect(redirect.err).toMatch(/302.*follows no redirect/);
    const broken = await check(`${base}/broken`);
    expect(broken.status).toBe(2);
    expect(broken.err).toMatch(/500.*only 200/);
    const huge = await check(`${base}/huge`);
    expect(huge.status).toBe(2);
    expect(huge.err).toMatch(/over the harvester's cap/);
    const undeclared = await check(`${base}/undeclared`);
    expect(undeclared.status).toBe(2);
    expect(undeclared.err).toMatch(/foaf.*line 3/i);
  }, 60_000);

  it('parses in the syntax of its Accept whatever Content-Type comes back, and says the type is wrong (exit 1)', async () => {
    const { status, out } = await check(`${base}/wrong-type`, '--format', 'json');
    const report = JSON.parse(out) as { records: Record<string, number>; problems: string[] };
    expect(report.records).toEqual({ catalog: 1, dataset: 1 });
    expect(report.problems.join(' ')).toMatch(/Content-Type text\/plain/);
    expect(status).toBe(1);
  });

  it('loads a remote JSON-LD context the source names, as the harvester does (the command line fetches, never the server)', async () => {
    const { status, out } = await check(`${base}/remote-context.jsonld`, '--accept', 'application/ld+json', '--format', 'json', '--no-urls');
    expect(status).not.toBe(2);
    const report = JSON.parse(out) as { records: Record<string, number>; triples: number };
    expect(report.records).toEqual({ dataset: 1 });
    expect(report.triples).toBe(2);
  });

  it('resolves relative IRIs against http://example.com/, as the harvester does, and says so (exit 1)', async () => {
    const { out, status } = await check(`${base}/relative`, '--format', 'json');
    expect(JSON.parse(out)).toMatchObject({ relative: ['http://example.com/datasets/r'] });
    expect((JSON.parse(out) as { problems: string[] }).problems.join(' ')).toMatch(/relative.*http:\/\/example\.com\/datasets\/r/);
    expect(status).toBe(1);
    expect((JSON.parse(out) as { validation: Array<{ record: string }> }).validation.map((v) => v.record)).toEqual(['http://example.com/datasets/r']);
  });

  it('does not count a record without an IRI as imported, and says it would be dropped (exit 1)', async () => {
    const { out, status } = await check(`${base}/blank`, '--format', 'json');
    const report = JSON.parse(out) as { records: Record<string, number>; blankRecords: number; problems: string[] };
    expect(report.records).toEqual({ dataset: 1 });
    expect(report.blankRecords).toBe(1);
    expect(report.problems.join(' ')).toMatch(/no IRI/);
    expect(status).toBe(1);
  });

  it('finds the same graph behind other blank node labels, and another graph when the source changes', async () => {
    expect(JSON.parse((await check(`${base}/unstable`, '--format', 'json')).out)).toMatchObject({ stable: true });
    const changing = await check(`${base}/changing`, '--format', 'json');
    expect(JSON.parse(changing.out)).toMatchObject({ stable: false });
    expect(changing.status).toBe(1);
  });

  it('reports shared identifiers, members the document does not describe, predicates RDF/XML cannot name and records that fail (exit 1)', async () => {
    const { status, out } = await check(`${base}/problems`, '--format', 'json');
    const report = JSON.parse(out) as { duplicates: unknown[]; dangling: unknown[]; unrepresentable: string[]; validation: Array<{ conforms: boolean }> };
    expect(report.duplicates).toEqual([{ identifier: 'same', records: ['http://x.test/a', 'http://x.test/b'] }]);
    expect(report.dangling).toEqual([{ catalog: 'http://x.test/c', member: 'http://x.test/gone' }]);
    expect(report.unrepresentable).toEqual(['http://x.test/1']);
    expect(report.validation.some((v) => !v.conforms)).toBe(true);
    expect(status).toBe(1);
  });

  it("scores each dataset, fetching its distributions' URLs for the web metrics (a HEAD refused is asked again with GET)", async () => {
    type Quality = { record: string; score: number; measuredMax: number; missed: Array<{ metric: string }>; notMeasured: string[] };
    const { status, out } = await check(`${base}/quality.ttl`, '--format', 'json');
    const report = JSON.parse(out) as { quality: Quality[]; urls: { fetched: number; ok: number; skipped: number } };
    expect(status).toBe(0);
    expect(report.urls).toEqual({ fetched: 4, ok: 3, skipped: 0 });
    const [q1, q2] = report.quality;
    expect(q1!.record).toBe('http://x.test/q1');
    // Everything measured: the web metrics here, compliance from the validation.
    expect(q1!.notMeasured).toEqual([]);
    expect(q1!.measuredMax).toBe(435);
    const missed = (q: Quality) => q.missed.map((m) => m.metric);
    for (const web of ['accessUrlStatusCode', 'downloadUrlStatusCode', 'formatMatch', 'syntaxValid']) expect(missed(q1!), web).not.toContain(web);
    // The second: its access URL is 404 and its file does not parse; it gives no media type, but the
    // file is served as its format's (JSON).
    expect(missed(q2!)).toEqual(expect.arrayContaining(['accessUrlStatusCode', 'syntaxValid', 'mediaTypeAvailability']));
    expect(missed(q2!)).not.toContain('downloadUrlStatusCode');
    expect(missed(q2!)).not.toContain('formatMatch');
    expect(q1!.score - q2!.score).toBe(50 + 15 + 10);

    // Without fetching: the web metrics are not measured. With too few URLs allowed: some are not.
    const offline = JSON.parse((await check(`${base}/quality.ttl`, '--format', 'json', '--no-urls')).out) as { quality: Quality[]; urls?: unknown };
    expect(offline.urls).toBeUndefined();
    expect(offline.quality[0]!.notMeasured.sort()).toEqual(['accessUrlStatusCode', 'downloadUrlStatusCode', 'formatMatch', 'syntaxValid']);
    expect(offline.quality[0]!.measuredMax).toBe(325);
    const capped = JSON.parse((await check(`${base}/quality.ttl`, '--format', 'json', '--max-urls', '1')).out) as {
      urls: { fetched: number; skipped: number };
    };
    expect(capped.urls).toEqual({ fetched: 1, ok: 1, skipped: 3 });
    const text = await check(`${base}/quality.ttl`);
    expect(text.out).toMatch(/quality <http:\/\/x\.test\/q2>: \d+ of 435 measured points/);
    expect((await check(`${base}/quality.ttl`, '--max-urls', 'many')).status).toBe(2);
  });

  it('reads only JSON and RDF by their own types, keeps a status once the headers came, and takes a URL that is not http(s) as dead', async () => {
    const found = await probeUrls(
      { downloads: [`${base}/notes.txt`, 'ftp://x.test/file.csv', `${base}/slow.json`, `${base}/bad.json`], access: ['urn:x:1'] },
      { ...PROBE_DEFAULTS, timeoutMs: 500 },
    );
    // text/plain is text, not N-Triples: not parsed, not told.
    expect(found.get(`${base}/notes.txt`)).toEqual({ status: 200, contentType: 'text/plain' });
    expect(found.get('ftp://x.test/file.csv')).toEqual({ status: 0 });
    expect(found.get('urn:x:1')).toEqual({ status: 0 });
    // Too slow to read: the status stands, the syntax is not told.
    expect(found.get(`${base}/slow.json`)).toEqual({ status: 200, contentType: 'application/json' });
    expect(found.get(`${base}/bad.json`)).toEqual({ status: 200, contentType: 'application/json', syntaxValid: false });
  });

  it('reports an IRI typed as two kinds of record and a record two catalogues list (exit 1)', async () => {
    const { status, out } = await check(`${base}/conflicts`, '--format', 'json', '--no-urls');
    const report = JSON.parse(out) as { twoKinds: unknown[]; listedTwice: unknown[] };
    expect(report.twoKinds).toEqual([{ iri: 'http://x.test/s', kinds: expect.arrayContaining(['dataset', 'data-service']) }]);
    expect(report.listedTwice).toEqual([{ member: 'http://x.test/a', catalogs: ['http://x.test/c1', 'http://x.test/c2'] }]);
    expect(status).toBe(1);
  });

  it('runs as a command of its own with the exit codes it promises', async () => {
    const ready = await spawned(`${base}/good.ttl`);
    expect(ready.out).toMatch(/ready to harvest/);
    expect(ready.status).toBe(0);
    expect((await spawned(`${base}/problems`)).status).toBe(1);
    expect((await spawned(`${base}/broken`)).status).toBe(2);
  });

  it('reads a file too, and prints text for a person', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-check-'));
    try {
      writeFileSync(join(dir, 'source.ttl'), GOOD);
      const { status, out } = await check(join(dir, 'source.ttl'));
      expect(out).toMatch(/would import: 1 catalog, 1 dataset/);
      expect(out).toMatch(/ready to harvest/);
      expect(status).toBe(0);
      expect((await check(join(dir, 'missing.ttl'))).status).toBe(2);
      expect((await check()).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
