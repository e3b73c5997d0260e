/**
 * Page benchmarks (docs/pages.md, Speed): a generated catalogue (BENCH_PAGE_DATASETS, default
 * 10,000) loaded with `katalog load`; a record's page rendered in-process (every request rendered
 * anew: no page cache, the store read, linked records, the model and the templates; the record's
 * validation report kept per version, as in a server), then the page over HTTP against the Turtle
 * of the same record from the same server.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadValidationResources } from '../src/catalog/resources.js';
import { readConfig } from '../src/config.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { cannon, startKatalog, waitFor } from './harvest.js';
import { loadGenerated, type Row } from './measure.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** p50 and p99 in ms of `runs` injected GETs of `url`, after 20 to warm up. */
async function injected(app: Awaited<ReturnType<typeof buildApp>>, url: string, runs: number) {
  const once = async () => {
    const response = await app.inject({ url, headers: { accept: BROWSER } });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
    return response.rawPayload.length;
  };
  for (let i = 0; i < 20; i++) await once();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = await once();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs / 2)]!, p99: samples[Math.floor(runs * 0.99)]!, bytes };
}

export const pageBenchmarks: Record<string, () => Promise<Row[]>> = {
  async pages() {
    const datasets = Number(process.env.BENCH_PAGE_DATASETS ?? 10_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-pages-'));
    const rows: Row[] = [];
    try {
      const { db } = loadGenerated(dir, datasets);
      const store = new SqliteStore(db);
      const [record] = (await store.search({ filters: { kind: ['dataset'] }, limit: 1, sort: 'position', only: 'nt' })).hits;
      const path = `/datasets/${record!.id}`;
      for (const cached of [false, true]) {
        const config = readConfig({ PUBLIC_BASE_URL: 'http://localhost:3000', WORKERS: '0', RECORD_CACHE_MB: cached ? '32' : '0' });
        const app = await buildApp(config, { store, validation: loadValidationResources() });
        try {
          const { p50, p99, bytes } = await injected(app, path, 500);
          rows.push({
            benchmark: `record page of one of ${datasets} datasets in-process (${bytes} bytes), ${cached ? 'from the page cache' : 'rendered on every request'}`,
            ours: `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
            reference: 'target p50 5 ms',
            ratio: 5 / p50,
            target: '>= 1',
          });
        } finally {
          await app.close();
        }
      }
      await store.close();

      const empty = join(dir, 'empty');
      mkdirSync(empty, { recursive: true });
      // With the record cache (the default) and without it (every page and every Turtle rendered anew).
      for (const [port, cacheMb] of [
        [3121, '32'],
        [3122, '0'],
      ] as const) {
        const katalog = startKatalog(db, empty, port, { RECORD_CACHE_MB: cacheMb });
        try {
          await waitFor(`http://127.0.0.1:${port}/health/ready`);
          const url = `http://127.0.0.1:${port}${path}`;
          const html = { accept: BROWSER };
          const turtle = { accept: 'text/turtle' };
          await cannon(url, 10, 2, html);
          await cannon(url, 10, 2, turtle);
          const page = await cannon(url, 10, 10, html);
          const rdf = await cannon(url, 10, 10, turtle);
          rows.push({
            benchmark: `record page over HTTP vs the Turtle of the same record, same server, 10 connections, ${cacheMb === '0' ? 'no record cache (both rendered on every request)' : 'record cache on (the default)'}`,
            ours: `${page.requests.average.toFixed(0)} req/s, p99 ${page.latency.p99} ms`,
            reference: `Turtle ${rdf.requests.average.toFixed(0)} req/s, p99 ${rdf.latency.p99} ms`,
            ratio: page.requests.average / rdf.requests.average,
            // The target is the server as configured by default; without the cache it is reported.
            target: cacheMb === '0' ? 'reported' : '>= 0.5',
          });
        } finally {
          katalog.stop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
