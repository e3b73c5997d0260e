/**
 * Harvest benchmarks (issue: harvest at national scale): the whole catalogue over HTTP against nginx
 * serving the same bytes as a static file, and one record against a bare Fastify route returning a
 * constant body of the same size. The catalogue is generated (bench/generate.ts) and loaded with
 * `katalog load`; BENCH_DATASETS sets its size (default 100,000).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Parser } from 'n3';
import { rootCatalog } from '../src/catalog/views.js';
import { assembleDocument, representationOf } from '../src/core/documents.js';
import { formatById } from '../src/core/media-types.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { projectFile } from '../src/project-files.js';
import { jsonldCompact, loadGenerated, n3Serialise, type Row, time } from './measure.js';

const findNginx = () => ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** nginx from Debian's package, installed here when missing (the machines run as root). */
export function nginx(): string {
  let path = findNginx();
  if (!path) {
    execFileSync('apt-get', ['install', '-y', 'nginx-light'], { stdio: 'inherit' });
    path = findNginx();
  }
  if (!path) throw new Error('nginx could not be installed: apt-get install -y nginx-light');
  return path;
}

const execFileAsync = promisify(execFile);

const findWrk = () => ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));

/** wrk from Debian's package, installed here when missing. */
function wrkPath(): string {
  let path = findWrk();
  if (!path) {
    execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
    path = findWrk();
  }
  if (!path) throw new Error('wrk could not be installed: apt-get install -y wrk');
  return path;
}

const UNITS: Record<string, number> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30 };

/**
 * Bytes per second of large answers, measured with wrk (written in C): autocannon, in JavaScript,
 * tops out near 400 requests/s on 1 MB bodies and would measure itself, not the server.
 */
export async function wrkThroughput(url: string, connections: number, seconds: number, headers: Record<string, string> = {}): Promise<number> {
  const args = [
    '-t',
    '2',
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '120s',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  // Not execFileSync: peakRss samples the server's memory on this event loop meanwhile.
  const { stdout: out } = await execFileAsync(wrkPath(), args, { encoding: 'utf8' });
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`${url}: wrk saw errors:\n${out}`);
  const m = /Transfer\/sec:\s+([\d.]+)(GB|MB|KB|B)/.exec(out);
  if (!m) throw new Error(`${url}: no Transfer/sec in wrk's output:\n${out}`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await fetch(url).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

/** `katalog serve` on a SQLite file, with `env` added to its environment. */
export function startKatalog(db: string, data: string, port: number, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [projectFile('dist', 'src', 'main.js'), 'serve'], {
    env: { ...process.env, PORT: String(port), KATALOG_DB: db, DATA_DIR: data, LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'http://localhost:3000', ...env },
    stdio: 'ignore',
  });
  return { stop: () => child.kill('SIGTERM'), pid: child.pid! };
}

export function startNginx(root: string, port: number) {
  const conf = join(root, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${root}/nginx.pid; error_log ${root}/error.log;
events { worker_connections 256; }
http { access_log off; sendfile on; types { text/turtle ttl; application/n-triples nt; application/ld+json jsonld; }
  server { listen 127.0.0.1:${port}; root ${root}; location / { } } }`,
  );
  const child = spawn(nginx(), ['-c', conf, '-p', root], { stdio: 'ignore' });
  return { stop: () => child.kill('SIGTERM') };
}

export function startConstant(port: number, file: string, type: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'constant-server.ts'), String(port), file, type], { stdio: 'ignore' });
  return { stop: () => child.kill('SIGTERM') };
}

export async function cannon(url: string, connections: number, duration: number, headers: Record<string, string> = {}, paths?: string[]) {
  let i = 0;
  const requests = paths ? [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: paths[i++ % paths.length] }) }] : undefined;
  // A whole catalogue takes seconds per request: no request may time out (autocannon's default is 10 s).
  const result = await autocannon({ url, connections, duration, headers, timeout: 120, ...(requests ? { requests } : {}) } as autocannon.Options);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

function rssKiB(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]);
}

/** The highest RSS of a process while `work` runs, sampled every 50 ms. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = rssKiB(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(pid))), 50);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(sampler);
  }
}

/** One GET read to the end: milliseconds to the first byte of the body and to the last, and the body. */
export function download(url: string, accept: string): Promise<{ firstByte: number; total: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstByte = 0;
    const chunks: Buffer[] = [];
    get(url, { headers: { accept } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${url}: ${response.statusCode}`));
      response.on('data', (chunk: Buffer) => {
        if (firstByte === 0) firstByte = performance.now() - start;
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ firstByte, total: performance.now() - start, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

const SYNTAXES = [
  { id: 'turtle', label: 'Turtle', accept: 'text/turtle', ext: 'ttl', n3: 'Turtle' },
  { id: 'ntriples', label: 'N-Triples', accept: 'application/n-triples', ext: 'nt', n3: 'N-Triples' },
  { id: 'jsonld', label: 'JSON-LD', accept: 'application/ld+json', ext: 'jsonld', n3: undefined },
] as const;

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const KATALOG = 'http://127.0.0.1:3101';

export const harvestBenchmarks: Record<string, () => Promise<Row[]>> = {
  async harvest() {
    nginx();
    const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-harvest-'));
    chmodSync(dir, 0o755); // nginx's workers run as an unprivileged user and must read the files
    const rows: Row[] = [];
    const stops: Array<() => void> = [];
    try {
      const { db, loadSeconds } = loadGenerated(dir, datasets);
      rows.push({
        benchmark: `katalog load of ${datasets} generated datasets, validation included`,
        ours: `${loadSeconds.toFixed(1)} s`,
        reference: 'target 60 s',
        ratio: 60 / loadSeconds,
        target: '>= 1',
      });

      const empty = join(dir, 'empty');
      mkdirSync(empty);
      const startedAt = performance.now();
      const katalog = startKatalog(db, empty, 3101);
      stops.push(katalog.stop);
      await waitFor(`${KATALOG}/health/ready`);
      const readySeconds = (performance.now() - startedAt) / 1000;
      rows.push({
        benchmark: `restart on the loaded store until /health/ready`,
        ours: `${readySeconds.toFixed(2)} s`,
        reference: 'target 5 s',
        ratio: 5 / readySeconds,
        target: '>= 1',
      });
      const idle = rssKiB(katalog.pid);

      // Whole catalogue per syntax: the first request assembles it from the store (the cache is
      // empty after a restart), the next ones are served from the cached file; nginx serves the
      // same bytes as a static file.
      const downloads: Record<string, { firstByte: number; total: number; body: Buffer }> = {};
      for (const [i, syntax] of SYNTAXES.entries()) {
        const port = 3110 + i; // each its own port: a stopped server may still hold the last one
        const { result: cold, peak: coldPeak } = await peakRss(katalog.pid, () => download(`${KATALOG}/catalog`, syntax.accept));
        downloads[syntax.id] = cold;
        writeFileSync(join(dir, `catalog.${syntax.ext}`), cold.body);
        const server = startNginx(dir, port);
        stops.push(server.stop);
        await waitFor(`http://127.0.0.1:${port}/catalog.${syntax.ext}`);
        const reference = await wrkThroughput(`http://127.0.0.1:${port}/catalog.${syntax.ext}`, 4, 20);
        server.stop();
        const { result: ours, peak } = await peakRss(katalog.pid, () => wrkThroughput(`${KATALOG}/catalog`, 4, 20, { accept: syntax.accept }));
        rows.push({
          benchmark: `whole catalogue, ${datasets} datasets, ${syntax.label} (${mb(cold.body.length)} MB), 4 connections`,
          ours: `${mb(ours)} MB/s (wrk); first byte ${cold.firstByte.toFixed(0)} ms (assembled from the store); RSS idle ${(idle / 1024).toFixed(0)} MB, peak ${(Math.max(peak, coldPeak) / 1024).toFixed(0)} MB`,
          reference: `nginx static file ${mb(reference)} MB/s (wrk)`,
          ratio: ours / reference,
          target: '>= 0.5; first byte < 100 ms',
        });
      }

      // Producing the document: ours assembles it from the stored representations (the store read
      // included), the libraries serialise the same graph from memory: n3's Writer (Turtle,
      // N-Triples) and jsonld.js (JSON-LD, on a slice: the whole graph would take it many minutes).
      // In-process on both sides: over loopback on a small machine the socket, not the serialiser,
      // is the limit (nginx itself serves the N-Triples file at about 0.7 M triples/s here).
      const quads = new Parser({ format: 'N-Triples' }).parse(downloads.ntriples!.body.toString('utf8'));
      const rate = (n: number) => `${(n / 1e6).toFixed(2)} M triples/s`;
      const perSecond = (triples: number, ms: number) => (triples / ms) * 1000;
      const store = new SqliteStore(db);
      try {
        for (const syntax of SYNTAXES) {
          const only = representationOf(formatById(syntax.id));
          const assembly = await time(3, async () => {
            let length = 0;
            for await (const piece of assembleDocument(formatById(syntax.id), rootCatalog(store, 'http://localhost:3000', { only }))) length += piece.length;
            return length;
          });
          const ours = perSecond(quads.length, assembly);
          let reference: number;
          let label: string;
          if (syntax.n3) {
            const writer = await time(1, () => n3Serialise(quads, syntax.n3));
            reference = perSecond(quads.length, writer);
            label = `n3 Writer ${rate(reference)} (${(writer / 1000).toFixed(1)} s)`;
          } else {
            const slice = quads.slice(0, Math.min(quads.length, 100_000));
            const compacting = await time(1, () => jsonldCompact(slice));
            reference = perSecond(slice.length, compacting);
            label = `jsonld.js fromRDF + compact ${rate(reference)} (on ${slice.length} of the triples)`;
          }
          rows.push({
            benchmark: `whole catalogue, ${quads.length} triples, ${syntax.label}, assembled from the store in-process`,
            ours: `${rate(ours)} (${(assembly / 1000).toFixed(1)} s); over HTTP on the first request after a write ${mb((downloads[syntax.id]!.body.length / downloads[syntax.id]!.total) * 1000)} MB/s`,
            reference: label,
            ratio: ours / reference,
            target: syntax.n3 ? '>= 5' : '>= 10',
          });
        }
      } finally {
        await store.close();
      }

      // One record against a constant body of the same size, both servers in their own process.
      // The requests cycle over 1,000 different datasets.
      const ids = [
        ...downloads
          .ntriples!.body.toString('utf8')
          .matchAll(
            /<http:\/\/localhost:3000\/datasets\/([^>#]+)> <http:\/\/www\.w3\.org\/1999\/02\/22-rdf-syntax-ns#type> <http:\/\/www\.w3\.org\/ns\/dcat#Dataset>/g,
          ),
      ].map((m) => m[1]!);
      const paths = Array.from({ length: Math.min(1000, ids.length) }, (_, i) => `/datasets/${ids[Math.floor((i * ids.length) / Math.min(1000, ids.length))]}`);
      for (const [i, syntax] of SYNTAXES.filter((s) => s.id !== 'ntriples').entries()) {
        const port = 3120 + i;
        const body = Buffer.from(await (await fetch(KATALOG + paths[0], { headers: { accept: syntax.accept } })).arrayBuffer());
        const file = join(dir, `record.${syntax.ext}`);
        writeFileSync(file, body);
        const constant = startConstant(port, file, `${syntax.accept}; charset=utf-8`);
        stops.push(constant.stop);
        await waitFor(`http://127.0.0.1:${port}/record`);
        await cannon(`http://127.0.0.1:${port}/record`, 50, 3);
        const reference = await cannon(`http://127.0.0.1:${port}/record`, 50, 10);
        constant.stop();
        await cannon(KATALOG, 50, 3, { accept: syntax.accept }, paths);
        const single = await cannon(KATALOG, 50, 10, { accept: syntax.accept }, paths);
        rows.push({
          benchmark: `one record GET, ${syntax.label} (${body.length} bytes), 1,000 datasets in turn, 50 connections`,
          ours: `${single.requests.average.toFixed(0)} req/s, p99 ${single.latency.p99} ms`,
          reference: `bare Fastify constant body: ${reference.requests.average.toFixed(0)} req/s, p99 ${reference.latency.p99} ms`,
          ratio: single.requests.average / reference.requests.average,
          target: '>= 0.5, p99 < 10 ms',
        });
      }
      katalog.stop();
      return rows;
    } finally {
      for (const stop of stops) stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
