/**
 * PostgreSQL benchmarks (docs/storage.md, "PostgreSQL"): a throwaway cluster with durable settings
 * (.ci/postgres, KATALOG_PG_DURABLE=1), the generated catalogue (BENCH_DATASETS, default 100,000)
 * loaded into it with `katalog load`, then, in one run: searches in-process next to the SQLite store
 * loaded with the same files, the whole catalogue as Turtle against nginx serving the same bytes
 * (wrk), validated durable creates with one and two processes, and single-record GETs with one and
 * two processes against a bare Fastify route answering the same body.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createApiKey } from '../src/catalog/api-keys.js';
import { projectFile } from '../src/project-files.js';
import { PgStore } from '../src/store/pg-store.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { generateCatalogues } from './generate.js';
import { cannon, download, nginx, startConstant, startNginx, waitFor, wrkThroughput } from './harvest.js';
import type { Row } from './measure.js';
import { percentiles, SEARCH_CASES } from './search.js';
import { TYPICAL_DATASET } from './writes.js';

const script = projectFile('.ci', 'postgres');

/** `katalog serve` on the database, with `workers` processes (0: one, without node:cluster). */
function startKatalog(databaseUrl: string, port: number, workers: number, cache: string) {
  const child = spawn(process.execPath, [projectFile('dist', 'src', 'main.js'), 'serve', ...(workers > 0 ? ['--workers', String(workers)] : [])], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      KATALOG_DB: join(cache, 'unused.db'),
      DATA_DIR: cache,
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      WRITE_RATE_LIMIT: '100000000',
    },
    stdio: 'ignore',
  });
  return { stop: () => child.kill('SIGTERM') };
}

async function datasetIds(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ id: string }>(`SELECT id FROM records WHERE kind = 'dataset' AND deleted IS NULL ORDER BY n`)).rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

export const postgresBenchmarks: Record<string, () => Promise<Row[]>> = {
  async postgres() {
    nginx();
    const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-pg-'));
    chmodSync(dir, 0o755); // nginx's workers read the catalogue file from here
    const cluster = join(dir, 'cluster');
    const rows: Row[] = [];
    const stops: Array<() => void> = [];
    try {
      const server = execFileSync(script, ['start', cluster], { encoding: 'utf8', env: { ...process.env, KATALOG_PG_DURABLE: '1' } }).trim();
      const admin = new pg.Client({ connectionString: server });
      await admin.connect();
      await admin.query('CREATE DATABASE bench');
      await admin.end();
      const url = server.replace('/postgres?', '/bench?');

      const data = join(dir, 'data');
      mkdirSync(data);
      for (const { organisation, turtle } of generateCatalogues(datasets, 50)) writeFileSync(join(data, `org-${organisation}.ttl`), turtle);
      const load = (env: Record<string, string>) => {
        const started = performance.now();
        execFileSync(process.execPath, [projectFile('dist', 'src', 'main.js'), 'load', data], { env: { ...process.env, ...env }, stdio: 'ignore' });
        return (performance.now() - started) / 1000;
      };
      const pgSeconds = load({ DATABASE_URL: url });
      const sqliteFile = join(dir, 'katalog.db');
      const sqliteSeconds = load({ KATALOG_DB: sqliteFile });
      rows.push({
        benchmark: `katalog load of ${datasets} generated datasets into PostgreSQL, validation and search index included`,
        ours: `${pgSeconds.toFixed(1)} s (SQLite, same files: ${sqliteSeconds.toFixed(1)} s)`,
        reference: 'target 90 s',
        ratio: 90 / pgSeconds,
        target: '>= 1',
      });
      const analyse = new pg.Client({ connectionString: url });
      await analyse.connect();
      await analyse.query('ANALYZE'); // what autovacuum does within a minute of a large load
      await analyse.end();

      // Searches in-process, the same cases on both stores.
      const postgres = await PgStore.open(url);
      const sqlite = new SqliteStore(sqliteFile);
      try {
        for (const c of SEARCH_CASES) {
          const ours = await percentiles(postgres, c.query, 30);
          const reference = await percentiles(sqlite, c.query, 30);
          rows.push({
            benchmark: `search of ${datasets} datasets in-process on PostgreSQL: ${c.label} (${ours.total} hits)`,
            ours: `p50 ${ours.p50.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms`,
            reference: `SQLite p50 ${reference.p50.toFixed(1)} ms, p99 ${reference.p99.toFixed(1)} ms`,
            ratio: reference.p50 / ours.p50,
            target: 'reported',
          });
        }
      } finally {
        await sqlite.close();
      }
      const { key } = await createApiKey(postgres, '974760673');
      await postgres.close();

      // The whole catalogue as Turtle from one process: the first request assembles it from the
      // database, the next are served from the cached file; nginx serves the same bytes.
      const cache = join(dir, 'cache');
      mkdirSync(cache);
      const one = startKatalog(url, 3131, 0, cache);
      stops.push(one.stop);
      await waitFor('http://127.0.0.1:3131/health/ready');
      const cold = await download('http://127.0.0.1:3131/catalog', 'text/turtle');
      writeFileSync(join(dir, 'catalog.ttl'), cold.body);
      const web = startNginx(dir, 3132);
      stops.push(web.stop);
      await waitFor('http://127.0.0.1:3132/catalog.ttl');
      const nginxRate = await wrkThroughput('http://127.0.0.1:3132/catalog.ttl', 4, 20);
      web.stop();
      const ours = await wrkThroughput('http://127.0.0.1:3131/catalog', 4, 20, { accept: 'text/turtle' });
      const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
      rows.push({
        benchmark: `whole catalogue from PostgreSQL, ${datasets} datasets, Turtle (${mb(cold.body.length)} MB), 4 connections`,
        ours: `${mb(ours)} MB/s (wrk); first byte ${cold.firstByte.toFixed(0)} ms (assembled from the database)`,
        reference: `nginx static file ${mb(nginxRate)} MB/s (wrk)`,
        ratio: ours / nginxRate,
        target: '>= 0.5; first byte < 200 ms',
      });

      // Single records, cycling over 1,000 datasets, with one process and with two.
      const ids = await datasetIds(url);
      const paths = Array.from({ length: Math.min(1000, ids.length) }, (_, i) => `/datasets/${ids[Math.floor((i * ids.length) / Math.min(1000, ids.length))]}`);
      const recordFile = join(dir, 'record.ttl');
      writeFileSync(recordFile, Buffer.from(await (await fetch(`http://127.0.0.1:3131${paths[0]}`, { headers: { accept: 'text/turtle' } })).arrayBuffer()));
      const constant = startConstant(3133, recordFile, 'text/turtle; charset=utf-8');
      stops.push(constant.stop);
      await waitFor('http://127.0.0.1:3133/record');
      await cannon('http://127.0.0.1:3133/record', 50, 3);
      const bare = await cannon('http://127.0.0.1:3133/record', 50, 10);
      constant.stop();
      // Creates after 3 s of creates (the write path's code compiled, its statements prepared), then
      // three runs of 10 s: the median, as one run on two shared cores varies by a quarter.
      const creates = async (port: number) => {
        const run = async (duration: number) => {
          const result = await autocannon({
            url: `http://127.0.0.1:${port}/datasets`,
            connections: 10,
            duration,
            method: 'POST',
            headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
            body: TYPICAL_DATASET,
          });
          if (result.non2xx > 0 || result.errors > 0) throw new Error(`creates failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
          return { rate: result['2xx'] / result.duration, p99: result.latency.p99 };
        };
        await run(3);
        const runs: Array<{ rate: number; p99: number }> = [];
        for (let i = 0; i < 3; i++) runs.push(await run(10));
        runs.sort((a, b) => a.rate - b.rate);
        return { ...runs[1]!, all: runs.map((r) => r.rate.toFixed(0)).join(', ') };
      };
      const reads = async (port: number) => {
        await cannon(`http://127.0.0.1:${port}`, 50, 3, { accept: 'text/turtle' }, paths);
        return cannon(`http://127.0.0.1:${port}`, 50, 10, { accept: 'text/turtle' }, paths);
      };
      const singleOne = await reads(3131);
      const createsOne = await creates(3131);
      one.stop();
      const two = startKatalog(url, 3134, 2, cache);
      stops.push(two.stop);
      await waitFor('http://127.0.0.1:3134/health/ready');
      const singleTwo = await reads(3134);
      const createsTwo = await creates(3134);
      two.stop();
      rows.push(
        {
          benchmark: 'validated, durable creates on PostgreSQL (POST /datasets, typical dataset, 10 connections, median of three 10 s runs), one process',
          ours: `${createsOne.rate.toFixed(0)} creates/s (p99 ${createsOne.p99} ms; runs ${createsOne.all}); two processes (--workers 2): ${createsTwo.rate.toFixed(0)} creates/s (p99 ${createsTwo.p99} ms; runs ${createsTwo.all})`,
          reference: 'target 300 creates/s',
          ratio: createsOne.rate / 300,
          target: '>= 1',
        },
        {
          benchmark: 'one record GET from PostgreSQL, Turtle, 1,000 datasets in turn, 50 connections, one process',
          ours: `${singleOne.requests.average.toFixed(0)} req/s, p99 ${singleOne.latency.p99} ms; two processes: ${singleTwo.requests.average.toFixed(0)} req/s, p99 ${singleTwo.latency.p99} ms`,
          reference: `bare Fastify constant body: ${bare.requests.average.toFixed(0)} req/s, p99 ${bare.latency.p99} ms`,
          ratio: singleOne.requests.average / bare.requests.average,
          target: 'reported (one and two processes side by side)',
        },
      );
      return rows;
    } finally {
      for (const stop of stops) stop();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      execFileSync(script, ['stop', cluster]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
