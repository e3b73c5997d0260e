/**
 * The hostile-input harness: a real Katalog server in a child process (so that its memory and its
 * responsiveness are measured honestly, apart from vitest's), requests over loopback, and one
 * function, hostileCase, that runs a case and checks everything a hostile input must not break:
 * the status and problem type, the size of the answer, the time, the server's peak memory, the
 * latency of /health/live while the case runs, the store, and that the server is still alive.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const PUBLIC_BASE_URL = 'http://katalog.test';

/**
 * How a server and the command line are started: in CI, where .ci/run has just built dist/, the
 * compiled JavaScript (each start then skips compiling TypeScript: about 0.7 s of each of the four
 * starts per file), else the sources through tsx.
 */
const KATALOG =
  process.env.CI === 'true' && existsSync(join(ROOT, 'dist', 'src', 'main.js')) ? [join(ROOT, 'dist', 'src', 'main.js')] : ['--import', 'tsx', 'src/main.ts'];
/** Organisation A (Brønnøysundregistrene), B, and the organisation of the admin key. */
export const ORG_A = '974760673';
export const ORG_B = '971526920';
export const ORG_ADMIN = '910000000';
export const orgIri = (org: string) => `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${org}`;

/** The bounds the server is being changed to enforce (environment defaults). */
export const BOUNDS = {
  bodyLimit: 10 * 1024 * 1024,
  maxTriples: 50_000,
  maxIriLength: 4_096,
  maxLiteralLength: 100_000,
  maxDepth: 64,
  maxValuesPerProperty: 10_000,
  maxJsonLdValuesPerProperty: 2_000,
  maxRecords: 5_000,
  maxRecordTriples: 5_000,
  maxJsonLdContexts: 64,
  maxReportResults: 1_000,
} as const;

/** vitest's timeout for one case. */
export const CASE_TIMEOUT = 60_000;
const START_TIMEOUT = 60_000;
const PROBE_INTERVAL = 20;
const PROBE_TIMEOUT = 1_000;

// ---------------------------------------------------------------------------------------------
// One hostile file at a time
// ---------------------------------------------------------------------------------------------

/**
 * Files run in parallel when vitest has the processors for it; two servers under hostile load on
 * the same machine would measure each other. A lock folder in the temp directory lets one file's
 * servers run at a time (re-entrant within a file; a lock whose owner process is gone is stale).
 */
const LOCK = join(tmpdir(), 'katalog-hostile.lock');
const LOCK_WAIT = 20 * 60_000;
let lockDepth = 0;
let lockOwned = false;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquireLock(): Promise<void> {
  if (lockDepth++ > 0) return;
  const deadline = Date.now() + LOCK_WAIT;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'owner'), String(process.pid));
      lockOwned = true;
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(join(LOCK, 'owner'), 'utf8'));
    } catch {
      // Created but not yet written, or just removed.
    }
    let age = 0;
    try {
      age = Date.now() - statSync(LOCK).mtimeMs;
    } catch {
      continue;
    }
    if ((Number.isInteger(owner) && owner > 0 && !processAlive(owner)) || (Number.isNaN(owner) && age > 30_000)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another hostile test file holds ${LOCK} (process ${owner}) for more than ${LOCK_WAIT / 60_000} minutes`);
    await sleep(250);
  }
}

function releaseLock(): void {
  if (lockDepth === 0 || --lockDepth > 0) return;
  if (lockOwned) rmSync(LOCK, { recursive: true, force: true });
  lockOwned = false;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  if (lockOwned) rmSync(LOCK, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export interface Keys {
  /** Organisation A, 974760673. */
  a: string;
  /** Organisation B, 971526920. */
  b: string;
  /** An admin key (organisation 910000000). */
  admin: string;
}

/** A Katalog server in a child process, on its own temp folder and SQLite file. */
export class Katalog {
  /** http://127.0.0.1:PORT */
  base = '';
  keys: Keys = { a: '', b: '', admin: '' };
  dir = '';
  restarts = 0;
  /** How long the last warm-up took (ms). */
  warmUpMs = 0;
  private child?: ChildProcess;
  private output = '';

  constructor(
    readonly extraEnv: Record<string, string> = {},
    readonly options: KatalogOptions = {},
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error('the server is not running');
    return this.child.pid;
  }

  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL,
      KATALOG_DB: join(this.dir, 'katalog.db'),
      DATA_DIR: 'test/fixtures/http',
      LOG_LEVEL: 'silent',
      ...this.extraEnv,
    };
  }

  /** Creates the folder and the API keys, then starts the server and waits until it is ready. */
  async start(): Promise<void> {
    await acquireLock();
    this.dir = mkdtempSync(join(tmpdir(), 'katalog-hostile-'));
    // The keys are made in the store the server will open, as `katalog apikey create` makes them
    // (test/cli.test.ts runs that command): three processes fewer per file.
    const store = new SqliteStore(join(this.dir, 'katalog.db'));
    try {
      const create = async (org: string, admin = false) => (await createApiKey(store, org, { admin })).key;
      this.keys = { a: await create(ORG_A), b: await create(ORG_B), admin: await create(ORG_ADMIN, true) };
    } finally {
      await store.close();
    }
    await this.spawnServer();
    if (process.env.HOSTILE_QUIET !== '1') {
      console.log(
        `[hostile] server ${this.base} (pid ${this.pid}${Object.keys(this.extraEnv).length ? `, ${new URLSearchParams(this.extraEnv)}` : ''}) ready; warm-up ${Math.round(this.warmUpMs)} ms`,
      );
    }
  }

  private async spawnServer(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [...KATALOG, 'serve'], { cwd: ROOT, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    children.add(child);
    child.on('exit', () => children.delete(child));
    const keep = (chunk: Buffer | string) => {
      this.output = (this.output + String(chunk)).slice(-16_384);
    };
    child.stderr!.on('data', keep);
    const lines = createInterface({ input: child.stdout! });
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not say where it listens within ${START_TIMEOUT} ms:\n${this.output}`)), START_TIMEOUT);
      lines.on('line', (line) => {
        keep(line + '\n');
        const m = /listening on (http:\/\/[^\s)]+)\)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code ?? signal}) before listening:\n${this.output}`));
      });
    });
    this.base = await listening;
    const deadline = Date.now() + START_TIMEOUT;
    for (;;) {
      if (!this.alive()) throw new Error(`the server exited while starting:\n${this.output}`);
      const ready = await send(this.base, { method: 'GET', path: '/health/ready' }, 2_000);
      if (ready.status === 200) break;
      if (Date.now() > deadline)
        throw new Error(`GET /health/ready did not answer 200 within ${START_TIMEOUT} ms (last ${ready.status} ${ready.text.slice(0, 200)})`);
      await sleep(100);
    }
    if (this.options.warmUp !== false) await this.warmUp();
  }

  /**
   * /health/ready answers before the first bodies have been parsed (worker threads still starting,
   * parsers loaded on first use): a few rounds of small validations in every syntax, as many at
   * once as there may be workers, until a round is quick, so that each case measures itself.
   */
  private async warmUp(): Promise<void> {
    const started = performance.now();
    const parallel = Math.max(2, availableParallelism()) * 2;
    for (let round = 0; performance.now() - started < 30_000; round++) {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          for (const body of WARM_UP_BODIES) await send(this.base, body, 10_000);
        }),
      );
      if (performance.now() - t0 < 300 && round > 0) break;
    }
    this.warmUpMs = performance.now() - started;
  }

  alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the server printed last (for a failure message). */
  log(): string {
    return this.output;
  }

  /**
   * Before each case: a server a previous case killed or wedged is restarted on the same folder (the
   * store and the keys survive), so that one failure does not fail every case after it.
   */
  async ensureServing(): Promise<void> {
    if (this.alive() && (await send(this.base, { method: 'GET', path: '/health/live' }, 3_000)).status === 200) return;
    this.restarts++;
    await this.kill();
    await this.spawnServer();
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive()) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    try {
      await this.kill();
    } finally {
      if (this.dir) rmSync(this.dir, { recursive: true, force: true });
      releaseLock();
    }
  }
}

export interface KatalogOptions {
  /** Send small validations after start until they are quick (default true; off where they would count, as under a rate limit). */
  warmUp?: boolean;
}

/** Small documents in three syntaxes for the warm-up. */
const WARM_UP_BODIES: HostileRequest[] = [
  {
    contentType: 'text/turtle',
    body: '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . <http://x.test/warm> a dcat:Dataset ; dct:title "Varm"@nb .',
  },
  {
    contentType: 'application/ld+json',
    body: JSON.stringify({
      '@id': 'http://x.test/warm',
      '@type': 'http://www.w3.org/ns/dcat#Dataset',
      'http://purl.org/dc/terms/title': { '@value': 'Varm', '@language': 'nb' },
    }),
  },
  {
    contentType: 'application/rdf+xml',
    body: '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="http://x.test/warm"><rdf:type rdf:resource="http://www.w3.org/ns/dcat#Dataset"/><dct:title xml:lang="nb">Varm</dct:title></rdf:Description></rdf:RDF>',
  },
];

let defaultKatalog: Katalog | undefined;

/**
 * Starts a server for this file (beforeAll) and stops it (afterAll). The first server a file asks
 * for is the one hostileCase uses unless a case names another.
 */
export function useKatalog(extraEnv: Record<string, string> = {}, options: KatalogOptions = {}): Katalog {
  const katalog = new Katalog(extraEnv, options);
  // Test files share this module (vitest runs them without isolation): the default is chosen when
  // the file runs, not when it is collected, and given up when it ends.
  beforeAll(
    () => {
      defaultKatalog ??= katalog;
      return katalog.start();
    },
    LOCK_WAIT + 3 * START_TIMEOUT,
  );
  afterAll(async () => {
    if (defaultKatalog === katalog) defaultKatalog = undefined;
    await katalog.stop();
  }, 30_000);
  return katalog;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/**
 * A PUT of dataset `id` for organisation A: what its profile needs, and `more` (Turtle predicates and
 * objects, ending without a full stop) besides.
 */
export function putDataset(katalog: Katalog, id: string, more: string): HostileRequest {
  return {
    method: 'PUT',
    path: `/datasets/${id}`,
    contentType: 'text/turtle',
    key: katalog.keys.a,
    body: `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://katalog.test/datasets/${id}> a dcat:Dataset ; dct:title "${id}"@nb ; dct:description "${id}"@nb ; dct:identifier "${id}" ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
  dct:publisher <${orgIri(ORG_A)}> ; ${more} .`,
  };
}

export interface HostileRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Default /validate. */
  path?: string;
  contentType?: string;
  accept?: string;
  /** An API key, sent as Authorization: Bearer. */
  key?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Reply {
  /** 0 when no response came (the error is in `error`). */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  contentType: string;
  error?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: () => any;
}

const actionAgent = new http.Agent({ keepAlive: true });

function reply(status: number, headers: http.IncomingHttpHeaders, body: Buffer, error?: string): Reply {
  const raw = String(headers['content-encoding'] ?? '') === 'gzip' ? safeGunzip(body) : body;
  const text = raw.toString('utf8');
  return {
    status,
    headers,
    body,
    text,
    contentType: String(headers['content-type'] ?? ''),
    error,
    json: () => JSON.parse(text),
  };
}

function safeGunzip(body: Buffer): Buffer {
  try {
    return gunzipSync(body);
  } catch {
    return body;
  }
}

/**
 * One request with node:http (no automatic decompression: a gzip body stays as sent, `text` is it
 * decompressed). Never throws: a request that gets no response comes back with status 0. A server
 * that answers before reading the whole body (413) and closes is a response, not an error.
 */
export function send(base: string, request: HostileRequest, timeoutMs = 30_000, agent: http.Agent = actionAgent): Promise<Reply> {
  const url = new URL(request.path ?? '/validate', base);
  const headers: Record<string, string> = { ...request.headers };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.accept) headers.accept = request.accept;
  if (request.key) headers.authorization = `Bearer ${request.key}`;
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    let settled = false;
    let response: http.IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    const finish = (r: Reply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.request(url, { method: request.method ?? 'POST', headers, agent }, (res) => {
      response = res;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      res.on('error', (e) => finish(reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks), `response cut: ${e.message}`)));
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => {
      // An error after the response began (EPIPE on the rest of a refused body) is not the answer.
      if (response) return;
      finish(reply(0, {}, Buffer.alloc(0), e.message));
    });
    void writeBody(req, body, () => response !== undefined || settled);
  });
}

const CHUNK = 256 * 1024;

/**
 * Writes a body in chunks, as a client on a network does, and stops once the response has come: a
 * server may answer a body it will not take (413) and close before reading it all, and a body
 * written in one piece would meet the closed socket (EPIPE) before the answer is read.
 */
async function writeBody(req: http.ClientRequest, body: Buffer | undefined, answered: () => boolean): Promise<void> {
  if (!body || body.length <= CHUNK) {
    req.end(body);
    return;
  }
  // A server that decides from Content-Length alone answers at once: give it 50 ms to, before the
  // body goes out (as curl waits for 100-continue), so that its answer is read, not cut by EPIPE.
  req.flushHeaders();
  for (let waited = 0; waited < 50 && !answered() && !req.destroyed; waited += 5) await sleep(5);
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    if (answered() || req.destroyed) return;
    if (!req.write(body.subarray(offset, offset + CHUNK))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          req.off('drain', done);
          req.off('close', done);
          resolve();
        };
        req.once('drain', done);
        req.once('close', done);
      });
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!answered() && !req.destroyed) req.end();
}

/** GET path with `headers`, for follow-up reads inside a case. */
export const get = (base: string, path: string, headers: Record<string, string> = {}) => send(base, { method: 'GET', path, headers });

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

export interface Probed<T> {
  result: T;
  /** The slowest GET /health/live while the action ran (a probe that timed out counts as the timeout). */
  maxLatencyMs: number;
  probes: number;
  /** How long the action took. */
  elapsedMs: number;
  /** The longest the test process's main thread was blocked meanwhile (for the record: the prober has a thread of its own). */
  harnessLagMs: number;
}

/**
 * The prober: a worker thread of the test process that GETs /health/live every 20 ms (each with a
 * 1 s timeout, one after the other) until told to stop, then posts the slowest answer's time. In a
 * thread of its own, it measures the server, not the test's own work on large answers.
 */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL('/health/live', workerData.base);
let stop = false;
let max = 0;
let probes = 0;
parentPort.on('message', () => { stop = true; });
const once = () => new Promise((resolve) => {
  const started = performance.now();
  const req = http.get(url, { agent, timeout: workerData.timeout }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : workerData.timeout));
  });
  req.on('timeout', () => req.destroy());
  req.on('error', () => resolve(workerData.timeout));
});
(async () => {
  parentPort.postMessage({ ready: true });
  while (!stop) {
    const t0 = performance.now();
    max = Math.max(max, await once());
    probes++;
    const wait = workerData.interval - (performance.now() - t0);
    if (wait > 0 && !stop) await new Promise((r) => setTimeout(r, wait));
  }
  agent.destroy();
  parentPort.postMessage({ max, probes });
})();
`;

/**
 * Runs `action` (an HTTP request) and, while it runs, GETs /health/live every 20 ms from a worker
 * thread (see PROBER) to measure how long the server leaves other clients waiting.
 */
export async function probeWhile<T>(base: string, action: () => Promise<T>): Promise<Probed<T>> {
  // The test process's own event-loop delay, reported with the result (the prober does not depend on it).
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const prober = new Worker(PROBER, { eval: true, workerData: { base, interval: PROBE_INTERVAL, timeout: PROBE_TIMEOUT } });
  const messages: Array<{ ready?: boolean; max?: number; probes?: number }> = [];
  let notify: (() => void) | undefined;
  prober.on('message', (m) => {
    messages.push(m);
    notify?.();
  });
  const next = () =>
    new Promise<{ ready?: boolean; max?: number; probes?: number }>((resolve, reject) => {
      const take = () => {
        const m = messages.shift();
        if (m) resolve(m);
        else notify = take;
      };
      prober.once('error', reject);
      take();
    });
  try {
    await next();
    lag.enable();
    const started = performance.now();
    const outcome = await Promise.allSettled([action()]);
    const elapsedMs = performance.now() - started;
    prober.postMessage('stop');
    const { max = PROBE_TIMEOUT, probes = 0 } = await next();
    lag.disable();
    const [settled] = outcome;
    if (settled.status === 'rejected') throw settled.reason;
    return { result: settled.value, maxLatencyMs: max, probes, elapsedMs, harnessLagMs: lag.max / 1e6 };
  } finally {
    await prober.terminate();
  }
}

function readStatusKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** The child's resident memory now, in MB. */
export function rssMb(pid: number): number {
  return readStatusKb(pid).rss / 1024;
}

export interface MemoryWatch {
  /** Peak growth in MB over the resident memory before the case (NaN if the process is gone). */
  stop: () => number;
  mode: 'hwm' | 'sampled';
}

/**
 * Watches a process's peak memory: the kernel's high-water mark (VmHWM), reset by writing 5 to
 * /proc/PID/clear_refs; where that is not allowed, VmRSS sampled every 10 ms.
 */
export function watchMemory(pid: number): MemoryWatch {
  const before = readStatusKb(pid).rss;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return {
      mode: 'hwm',
      stop: () => {
        try {
          return (readStatusKb(pid).hwm - before) / 1024;
        } catch {
          return Number.NaN;
        }
      },
    };
  } catch {
    let peak = before;
    const sample = () => {
      try {
        peak = Math.max(peak, readStatusKb(pid).rss);
      } catch {
        // The process is gone; stop() says so.
      }
    };
    const timer = setInterval(sample, 10);
    return {
      mode: 'sampled',
      stop: () => {
        clearInterval(timer);
        sample();
        try {
          readStatusKb(pid);
        } catch {
          return Number.NaN;
        }
        return (peak - before) / 1024;
      },
    };
  }
}

export interface StoreMark {
  /** The whole catalogue's N-Triples ETag: it carries the store's change sequence. */
  etag: string;
  records: number;
}

/** Something that changes on any write: the catalogue's ETag and the record count. */
export async function storeMark(base: string): Promise<StoreMark> {
  const catalog = await get(base, '/catalog', { accept: 'application/n-triples' });
  const ready = await get(base, '/health/ready');
  let records = Number.NaN;
  try {
    records = ready.json().records;
  } catch {
    // Reported as NaN, which equals nothing.
  }
  return { etag: `${catalog.status} ${catalog.headers.etag ?? ''}`, records };
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

export interface HostileExpect {
  /** The status, or the statuses any of which is right. A 5xx is wrong unless listed. */
  status: number | number[];
  /** The problem kind(s) (urn:katalog:problem:KIND) of an error status. */
  kind?: string | string[];
  /** The media type of an error's body, when it is not application/problem+json (an RDF report). */
  contentType?: string;
  /** Largest answer in bytes; default 64 KiB. */
  maxBodyBytes?: number;
  /** Longest time for the answer; default 2,000 ms. */
  maxMs?: number;
  /** Largest peak memory growth of the server; default 200 MB. */
  maxMemoryMb?: number;
  /** Slowest /health/live while the case runs; default 100 ms. */
  maxLiveMs?: number;
  /** A write that may change the store when it succeeds (2xx); otherwise the store must not change. */
  writes?: boolean;
  /** The server to send to; default the file's first. */
  on?: Katalog;
  /** More checks on the answer, run when the status is one expected. */
  check?: (reply: Reply, katalog: Katalog) => void | Promise<void>;
}

export interface CaseResult extends Reply {
  elapsedMs: number;
  maxLatencyMs: number;
  probes: number;
  memoryMb: number;
}

type RequestSpec = HostileRequest | ((katalog: Katalog) => HostileRequest | Promise<HostileRequest>);

const PROBLEM_JSON = 'application/problem+json';

/** A short account of an answer for failure messages. */
export function describeReply(r: Reply): string {
  if (r.status === 0) return `no response (${r.error})`;
  return `${r.status} ${r.contentType} ${r.body.length} bytes: ${r.text.slice(0, 400)}${r.text.length > 400 ? '…' : ''}`;
}

/**
 * Runs one hostile request against a server and checks (softly, so that one run reports every
 * broken promise at once): status; problem type and media type of an error; size of the answer;
 * time; peak memory growth; /health/live latency while it ran; no unexpected 5xx; the store
 * unchanged unless a write succeeded; and that the server is alive and answers afterwards.
 */
export async function runCase(request: RequestSpec, expectation: HostileExpect): Promise<CaseResult> {
  const katalog = expectation.on ?? defaultKatalog;
  if (!katalog) throw new Error('no server: call useKatalog() in this file first');
  await katalog.ensureServing();
  const req = typeof request === 'function' ? await request(katalog) : request;
  const statuses = Array.isArray(expectation.status) ? expectation.status : [expectation.status];
  const kinds = expectation.kind === undefined ? undefined : Array.isArray(expectation.kind) ? expectation.kind : [expectation.kind];
  const maxBodyBytes = expectation.maxBodyBytes ?? 64 * 1024;
  const maxMs = expectation.maxMs ?? 2_000;
  const maxMemoryMb = expectation.maxMemoryMb ?? 200;
  const maxLiveMs = expectation.maxLiveMs ?? 100;

  const before = await storeMark(katalog.base);
  const memory = watchMemory(katalog.pid);
  const probed = await probeWhile(katalog.base, () => send(katalog.base, req));
  const memoryMb = memory.stop();
  const r = probed.result;
  const what = `${req.method ?? 'POST'} ${req.path ?? '/validate'} (${req.body?.length ?? 0} bytes) answered ${describeReply(r)}`;

  expect.soft(statuses, `status: ${what}`).toContain(r.status);
  if (r.status >= 500) expect.soft(statuses, `a server error nobody expected: ${what}\nserver log:\n${katalog.log()}`).toContain(r.status);
  if (r.status >= 400 && statuses.includes(r.status)) {
    const mediaType = expectation.contentType ?? PROBLEM_JSON;
    expect.soft(r.contentType.startsWith(mediaType), `content type ${r.contentType}, expected ${mediaType}: ${what}`).toBe(true);
    if (mediaType === PROBLEM_JSON && kinds) {
      let type: unknown;
      try {
        type = r.json().type;
      } catch {
        type = '(not JSON)';
      }
      expect
        .soft(
          kinds.map((k) => `urn:katalog:problem:${k}`),
          `problem type ${String(type)}: ${what}`,
        )
        .toContain(type);
    }
  }
  expect.soft(r.body.length, `answer of ${r.body.length} bytes, more than ${maxBodyBytes}: ${what}`).toBeLessThanOrEqual(maxBodyBytes);
  expect.soft(probed.elapsedMs, `took ${Math.round(probed.elapsedMs)} ms, more than ${maxMs}: ${what}`).toBeLessThan(maxMs);
  expect.soft(memoryMb, `peak memory grew by ${memoryMb.toFixed(1)} MB (${memory.mode}), more than ${maxMemoryMb}: ${what}`).toBeLessThan(maxMemoryMb);
  expect
    .soft(
      probed.maxLatencyMs,
      `/health/live took up to ${Math.round(probed.maxLatencyMs)} ms (${probed.probes} probes; the test process itself was blocked up to ${Math.round(probed.harnessLagMs)} ms), more than ${maxLiveMs}: ${what}`,
    )
    .toBeLessThan(maxLiveMs);

  const alive = katalog.alive();
  expect.soft(alive, `the server died: ${what}\nserver log:\n${katalog.log()}`).toBe(true);
  if (alive) {
    const live = await send(katalog.base, { method: 'GET', path: '/health/live' }, 5_000);
    expect.soft(live.status, `/health/live after the case: ${describeReply(live)}`).toBe(200);
    if (live.status === 200) {
      const after = await storeMark(katalog.base);
      if (!(expectation.writes && r.status >= 200 && r.status < 300)) {
        expect.soft(after, `the store changed: ${what}`).toEqual(before);
      }
    }
  }
  if (process.env.HOSTILE_QUIET !== '1') {
    const name = expect.getState().currentTestName ?? what;
    console.log(
      `[hostile] ${name}\n  ${r.status || r.error} in ${Math.round(probed.elapsedMs)} ms, ${r.body.length} bytes, peak +${memoryMb.toFixed(1)} MB, /health/live max ${Math.round(probed.maxLatencyMs)} ms (${probed.probes} probes, test process lag ${Math.round(probed.harnessLagMs)} ms)`,
    );
  }
  if (statuses.includes(r.status) && expectation.check) await expectation.check(r, katalog);
  return { ...r, elapsedMs: probed.elapsedMs, maxLatencyMs: probed.maxLatencyMs, probes: probed.probes, memoryMb };
}

/** One case as a vitest test: `it(name)` running runCase with a 60 s timeout. */
export function hostileCase(name: string, request: RequestSpec, expectation: HostileExpect): void {
  it(
    name,
    async () => {
      await runCase(request, expectation);
    },
    CASE_TIMEOUT,
  );
}

/** A problem's `detail`, or the text when the body is not a problem. */
export function detailOf(r: Reply): string {
  try {
    return String(r.json().detail ?? r.text);
  } catch {
    return r.text;
  }
}
