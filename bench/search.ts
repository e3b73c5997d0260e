/**
 * Search benchmarks (docs/search.md): the generated catalogue (BENCH_DATASETS, default 100,000)
 * loaded with `katalog load`, index included, then searches timed in-process against the store,
 * against the targets of the search issue (absolute: the reference column names them).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { SearchQuery, Store } from '../src/store/store.js';
import { cannon, startConstant, startKatalog, waitFor } from './harvest.js';
import { loadGenerated, type Row } from './measure.js';

export const FACETS = ['kind', 'publisher', 'theme', 'format', 'accessRights', 'license', 'openData', 'lifeEvent', 'businessEvent', 'quality'] as const;
export const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';

/** The searches timed, with their targets (the search issue's). */
export const SEARCH_CASES: Array<{ label: string; query: SearchQuery; p50: number; p99?: number }> = [
  {
    label: 'q, two filters, all ten facets, by relevance',
    query: {
      q: 'avfallsmengder',
      filters: { theme: [THEME + 'ENVI', THEME + 'SOCI'], openData: ['true'] },
      facets: FACETS,
      sort: 'relevance',
      limit: 20,
      only: 'jsonld',
    },
    p50: 15,
    p99: 50,
  },
  { label: 'q alone, by relevance', query: { q: 'oslo', sort: 'relevance', limit: 20, only: 'jsonld' }, p50: 15, p99: 50 },
  {
    label: 'no q, no filter, all ten facets, newest first (the broadest)',
    query: { facets: FACETS, sort: 'modified', limit: 20, only: 'jsonld' },
    p50: 100,
  },
  {
    label: 'every dataset, all ten facets, by quality score (the broadest order by score)',
    query: { filters: { kind: ['dataset'] }, facets: FACETS, sort: 'quality', limit: 20, only: 'jsonld' },
    p50: 100,
  },
];

/** p50 and p99 of `runs` searches, after two to warm up. */
export async function percentiles(store: Store, query: SearchQuery, runs: number): Promise<{ p50: number; p99: number; total: number }> {
  let total = 0;
  for (let i = 0; i < 2; i++) await store.search(query);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    total = (await store.search(query)).total;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs / 2)]!, p99: samples[Math.min(runs - 1, Math.floor(runs * 0.99))]!, total };
}

/**
 * The first case over HTTP (JSON-LD, 10 connections, autocannon: pages of tens of KB are far from
 * its limit) against a bare Fastify route answering the same body as a constant, each in its own process.
 */
async function overHttp(db: string, dir: string, datasets: number): Promise<Row> {
  const path = `/search?q=avfallsmengder&theme=ENVI&theme=SOCI&openData=true`;
  const headers = { accept: 'application/ld+json' };
  const empty = join(dir, 'empty');
  mkdirSync(empty, { recursive: true });
  const katalog = startKatalog(db, empty, 3111);
  let constant: { stop: () => void } | undefined;
  try {
    await waitFor('http://127.0.0.1:3111/health/ready');
    const body = Buffer.from(await (await fetch(`http://127.0.0.1:3111${path}`, { headers })).arrayBuffer());
    const file = join(dir, 'page.jsonld');
    writeFileSync(file, body);
    constant = startConstant(3112, file, 'application/ld+json');
    await waitFor('http://127.0.0.1:3112/record');
    await cannon('http://127.0.0.1:3111' + path, 10, 3, headers); // warm up
    const ours = await cannon('http://127.0.0.1:3111' + path, 10, 10, headers);
    const reference = await cannon('http://127.0.0.1:3112/record', 10, 10);
    return {
      benchmark: `search of ${datasets} datasets over HTTP: q, two filters, all ten facets, JSON-LD (${body.length} bytes), 10 connections`,
      ours: `${ours.requests.average.toFixed(0)} req/s, p99 ${ours.latency.p99} ms`,
      reference: `bare Fastify constant body: ${reference.requests.average.toFixed(0)} req/s, p99 ${reference.latency.p99} ms`,
      ratio: ours.requests.average / reference.requests.average,
      target: '>= 0.5',
    };
  } finally {
    katalog.stop();
    constant?.stop();
  }
}

export const searchBenchmarks: Record<string, () => Promise<Row[]>> = {
  async search() {
    const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-search-'));
    const rows: Row[] = [];
    try {
      const { db, loadSeconds } = loadGenerated(dir, datasets);
      const sizes = new Database(db, { readonly: true });
      const pages = (like: string) =>
        (sizes.prepare(`SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name LIKE ?`).get(like) as { bytes: number }).bytes;
      const index = pages('search%') + pages('records_search');
      const all = pages('%');
      sizes.close();
      rows.push({
        benchmark: `katalog load of ${datasets} generated datasets, validation and search index included`,
        ours: `${loadSeconds.toFixed(1)} s; index ${(index / 2 ** 20).toFixed(0)} MB of ${(all / 2 ** 20).toFixed(0)} MB`,
        reference: 'target 60 s',
        ratio: 60 / loadSeconds,
        target: '>= 1',
      });

      const store = new SqliteStore(db);
      try {
        const cases = SEARCH_CASES;
        for (const c of cases) {
          const { p50, p99, total } = await percentiles(store, c.query, 30);
          rows.push({
            benchmark: `search of ${datasets} datasets in-process: ${c.label} (${total} hits)`,
            ours: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
            reference: `target p50 ${c.p50} ms${c.p99 ? `, p99 ${c.p99} ms` : ''}`,
            ratio: c.p50 / p50,
            target: '>= 1',
          });
        }
      } finally {
        await store.close();
      }
      rows.push(await overHttp(db, dir, datasets));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
