/**
 * Harvest benchmarks (issue: harvest at national scale): the whole catalogue over HTTP against nginx
 * serving the same bytes as a static file, and one record against a bare Fastify route returning a
 * constant body of the same size. The catalogue is generated (bench/generate.ts) and loaded with
 * `katalog load`; BENCH_DATASETS sets its size (default 100,000).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { projectFile } from '../src/project-files.js';
import { generateCatalogues } from './generate.js';
import type { Row } from './measure.js';

const findNginx = () => ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** nginx from Debian's package, installed here when missing (the machines run as root). */
function nginx(): string {
  let path = findNginx();
  if (!path) {
    execFileSync('apt-get', ['install', '-y', 'nginx-light'], { stdio: 'inherit' });
    path = findNginx();
  }
  if (!path) throw new Error('nginx could not be installed: apt-get install -y nginx-light');
  return path;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await fetch(url).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

function startKatalog(db: string, data: string, port: number) {
  const child = spawn(process.execPath, [projectFile('dist', 'src', 'main.js'), 'serve'], {
    env: { ...process.env, PORT: String(port), KATALOG_DB: db, DATA_DIR: data, LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'http://localhost:3000' },
    stdio: 'ignore',
  });
  return { stop: () => child.kill('SIGTERM'), pid: child.pid! };
}

function startNginx(root: string, port: number) {
  const conf = join(root, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${root}/nginx.pid; error_log ${root}/error.log;
events { worker_connections 256; }
http { access_log off; sendfile on; types { text/turtle ttl; }
  server { listen 127.0.0.1:${port}; root ${root}; location / { } } }`,
  );
  const child = spawn(nginx(), ['-c', conf, '-p', root], { stdio: 'ignore' });
  return { stop: () => child.kill('SIGTERM') };
}

async function cannon(url: string, connections: number, duration: number, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections, duration, headers });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
  return result;
}

function rssKiB(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]);
}

export const harvestBenchmarks: Record<string, () => Promise<Row[]>> = {
  async harvest() {
    nginx();
    if (!existsSync(projectFile('dist', 'src', 'main.js'))) throw new Error('run npm run build first');
    const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-harvest-'));
    chmodSync(dir, 0o755); // nginx's workers run as an unprivileged user and must read the file
    const rows: Row[] = [];
    const stops: Array<() => void> = [];
    try {
      const data = join(dir, 'data');
      mkdirSync(data);
      for (const { organisation, turtle } of generateCatalogues(datasets, 50)) writeFileSync(join(data, `org-${organisation}.ttl`), turtle);
      const db = join(dir, 'katalog.db');
      const loadStart = performance.now();
      execFileSync(process.execPath, [projectFile('dist', 'src', 'main.js'), 'load', data], { env: { ...process.env, KATALOG_DB: db }, stdio: 'ignore' });
      const loadSeconds = (performance.now() - loadStart) / 1000;
      rows.push({ benchmark: `katalog load of ${datasets} generated datasets, validation included`, ours: `${loadSeconds.toFixed(1)} s`, reference: 'target 60 s', ratio: 60 / loadSeconds, target: '>= 1' });

      const empty = join(dir, 'empty');
      mkdirSync(empty);
      const startedAt = performance.now();
      const katalog = startKatalog(db, empty, 3101);
      stops.push(katalog.stop);
      await waitFor('http://127.0.0.1:3101/health/ready');
      const readySeconds = (performance.now() - startedAt) / 1000;
      rows.push({ benchmark: `restart on the loaded store until /health/ready`, ours: `${readySeconds.toFixed(2)} s`, reference: 'target 5 s', ratio: 5 / readySeconds, target: '>= 1' });
      const idle = rssKiB(katalog.pid);

      // The same bytes as a static file for nginx.
      const catalogue = Buffer.from(await (await fetch('http://127.0.0.1:3101/catalog', { headers: { accept: 'text/turtle' } })).arrayBuffer());
      writeFileSync(join(dir, 'catalog.ttl'), catalogue);
      const nginx = startNginx(dir, 3102);
      stops.push(nginx.stop);
      await waitFor('http://127.0.0.1:3102/catalog.ttl');
      const reference = await cannon('http://127.0.0.1:3102/catalog.ttl', 4, 15);
      nginx.stop();
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(katalog.pid))), 100);
      const ours = await cannon('http://127.0.0.1:3101/catalog', 4, 15, { accept: 'text/turtle' });
      clearInterval(sampler);
      const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
      rows.push({
        benchmark: `whole catalogue, ${datasets} datasets, Turtle (${mb(catalogue.length)} MB), 4 connections`,
        ours: `${mb(ours.throughput.average)} MB/s (${ours.requests.average.toFixed(1)} req/s); RSS idle ${(idle / 1024).toFixed(0)} MB, peak ${(peak / 1024).toFixed(0)} MB`,
        reference: `nginx static file ${mb(reference.throughput.average)} MB/s`,
        ratio: ours.throughput.average / reference.throughput.average,
        target: '>= 0.5',
      });

      // One record against a constant body of the same size.
      const recordUrl = 'http://127.0.0.1:3101/datasets/' + (await (await fetch('http://127.0.0.1:3101/datasets?format=nt')).text()).match(/\/datasets\/([^>]+)> <http:\/\/www\.w3\.org\/1999\/02\/22-rdf-syntax-ns#type>/)![1];
      const body = Buffer.from(await (await fetch(recordUrl, { headers: { accept: 'text/turtle' } })).arrayBuffer());
      const bare = Fastify();
      bare.get('/record', async (_request, reply) => reply.type('text/turtle; charset=utf-8').send(body));
      await bare.listen({ port: 3103, host: '127.0.0.1' });
      const constant = await cannon('http://127.0.0.1:3103/record', 50, 10);
      await bare.close();
      const single = await cannon(recordUrl, 50, 10, { accept: 'text/turtle' });
      katalog.stop();
      rows.push({
        benchmark: `one record GET, Turtle (${body.length} bytes), 50 connections`,
        ours: `${single.requests.average.toFixed(0)} req/s, p99 ${single.latency.p99} ms`,
        reference: `bare Fastify constant body: ${constant.requests.average.toFixed(0)} req/s`,
        ratio: single.requests.average / constant.requests.average,
        target: '>= 0.5, p99 < 10 ms',
      });
      return rows;
    } finally {
      for (const stop of stops) stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
