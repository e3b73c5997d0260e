/**
 * Change feed benchmarks (docs/feed.md), in one run on the generated catalogue (BENCH_DATASETS,
 * default 100,000) loaded into SQLite: replaying the whole feed page by page over loopback; one full
 * page against nginx serving the same bytes (wrk); validated durable creates with the feed in use
 * (its two indexes, 100 live clients connected) against the same without it (indexes dropped, no
 * clients); and the time from a create's acknowledgement to its event at 100 live clients.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { createApiKey } from '../src/catalog/api-keys.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { nginx, startKatalog as startServer, startNginx, waitFor, wrkThroughput } from './harvest.js';
import { loadGenerated, type Row } from './measure.js';
import { TYPICAL_DATASET } from './writes.js';

const PORT = 3141;
const KATALOG = `http://127.0.0.1:${PORT}`;
const NEXT = /<https:\/\/w3id\.org\/tree#node> <([^>]+)>/;
const MEMBER = /<https:\/\/w3id\.org\/tree#member>/g;

/** `katalog serve` on the loaded file, without the write rate limit (the benchmark writes thousands). */
const startKatalog = (db: string, data: string, port: number) => startServer(db, data, port, { WRITE_RATE_LIMIT: '100000000' });

/** Walks the feed from its first page to its open one, as a harvester does; the pages and activities read. */
async function replay(): Promise<{ pages: number; activities: number }> {
  let url = `${KATALOG}/feed/pages/0`;
  let pages = 0;
  let activities = 0;
  for (;;) {
    const response = await fetch(url, { headers: { accept: 'application/n-quads' } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const text = await response.text();
    pages++;
    activities += text.match(MEMBER)?.length ?? 0;
    const next = NEXT.exec(text)?.[1];
    if (!next) return { pages, activities };
    url = next.replace('http://localhost:3000', KATALOG);
  }
}

/** Connects `count` live clients; each notes when each event (by id) arrives. */
async function liveClients(count: number) {
  const arrivals = new Map<number, number[]>();
  const responses: IncomingMessage[] = [];
  for (let i = 0; i < count; i++) {
    const response = await new Promise<IncomingMessage>((resolve, reject) => httpGet(`${KATALOG}/feed/live`, resolve).on('error', reject));
    if (response.statusCode !== 200) throw new Error(`live client ${i}: ${response.statusCode}`);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const now = performance.now();
      for (const [, id] of chunk.matchAll(/^id: (\d+)$/gm)) {
        const seq = Number(id);
        if (!arrivals.has(seq)) arrivals.set(seq, []);
        arrivals.get(seq)!.push(now);
      }
    });
    responses.push(response);
  }
  return { arrivals, close: () => responses.forEach((r) => r.destroy()) };
}

async function creates(key: string): Promise<number> {
  const run = (duration: number) =>
    autocannon({
      url: `${KATALOG}/datasets`,
      connections: 10,
      duration,
      method: 'POST',
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
      body: TYPICAL_DATASET,
    });
  await run(2);
  const result = await run(10);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`creates failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result['2xx'] / result.duration;
}

export const feedBenchmarks: Record<string, () => Promise<Row[]>> = {
  async feed() {
    nginx();
    const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-feed-'));
    chmodSync(dir, 0o755);
    const stops: Array<() => void> = [];
    const rows: Row[] = [];
    // Each row as it is measured, so that a later failure loses none.
    const push = (row: Row) => (rows.push(row), console.log(JSON.stringify(row)));
    try {
      const { db } = loadGenerated(dir, datasets);
      const setup = new SqliteStore(db);
      const { key } = await createApiKey(setup, '974760673');
      const changes = (await setup.version()).lastSeq;
      await setup.close();
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      let katalog = startKatalog(db, empty, PORT);
      stops.push(() => katalog.stop());
      await waitFor(`${KATALOG}/health/ready`);

      // The whole feed, page after page (the first walk renders every page; the second reads kept ones).
      let start = performance.now();
      const walked = await replay();
      const cold = (performance.now() - start) / 1000;
      if (walked.activities !== changes) throw new Error(`the replay read ${walked.activities} activities of ${changes}`);
      start = performance.now();
      await replay();
      const warm = (performance.now() - start) / 1000;
      push({
        benchmark: `replaying the change feed of ${changes} creates over loopback (${walked.pages} pages of N-Quads, one after another)`,
        ours: `${cold.toFixed(1)} s rendering every page; ${warm.toFixed(1)} s again (pages kept)`,
        reference: 'target 30 s',
        ratio: 30 / cold,
        target: '>= 1',
      });

      // One full page, kept rendered, against nginx serving its bytes.
      const middle = Math.floor(changes / 2);
      const page = await (await fetch(`${KATALOG}/feed/pages/${middle}`, { headers: { accept: 'application/trig' } })).arrayBuffer();
      const root = join(dir, 'nginx');
      mkdirSync(root);
      chmodSync(root, 0o755);
      writeFileSync(join(root, 'page.trig'), Buffer.from(page));
      const server = startNginx(root, PORT + 1);
      stops.push(server.stop);
      await waitFor(`http://127.0.0.1:${PORT + 1}/page.trig`);
      const ours = await wrkThroughput(`${KATALOG}/feed/pages/${middle}`, 10, 10, { accept: 'application/trig' });
      const reference = await wrkThroughput(`http://127.0.0.1:${PORT + 1}/page.trig`, 10, 10);
      server.stop();
      push({
        benchmark: `one full feed page (${(page.byteLength / 1024).toFixed(0)} KB of TriG, 100 activities), 10 connections`,
        ours: `${(ours / page.byteLength).toFixed(0)} pages/s (wrk)`,
        reference: `nginx static file ${(reference / page.byteLength).toFixed(0)} pages/s (wrk)`,
        ratio: ours / reference,
        target: '>= 0.5',
      });

      // Live events: 100 clients, creates one after another; from each acknowledgement to each arrival.
      const live = await liveClients(100);
      const acknowledged = new Map<number, number>();
      for (let i = 0; i < 300; i++) {
        const response = await fetch(`${KATALOG}/datasets`, {
          method: 'POST',
          headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
          body: TYPICAL_DATASET,
        });
        const at = performance.now();
        if (response.status !== 201) throw new Error(`create: ${response.status}`);
        // The ETag's tag is the version, which starts with the change number in base 36.
        const seq = parseInt((response.headers.get('etag') ?? '').match(/"([0-9a-z]+)-/)?.[1] ?? '', 36);
        acknowledged.set(seq, at);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      const delays: number[] = [];
      for (const [seq, at] of acknowledged) {
        const arrived = live.arrivals.get(seq) ?? [];
        if (arrived.length !== 100) throw new Error(`change ${seq} reached ${arrived.length} of 100 live clients`);
        for (const time of arrived) delays.push(Math.max(0, time - at));
      }
      delays.sort((a, b) => a - b);
      const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
      const [p50, p99] = [at(0.5), at(0.99)];
      push({
        benchmark: 'live events: from a create acknowledged to its event at each of 100 connected SSE clients (300 creates)',
        ours: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
        reference: 'target p99 100 ms',
        ratio: 100 / p99,
        target: '>= 1',
      });

      // Creates with the feed in use against creates without it, twice each, alternating (single
      // runs on two shared cores vary by a quarter): the mean of each.
      const withFeed = [await creates(key)];
      live.close();
      const restart = async (indexes: 'drop' | 'create', clients: boolean) => {
        katalog.stop();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const bare = new Database(db);
        bare.exec(
          indexes === 'drop'
            ? 'DROP INDEX changes_kind; DROP INDEX changes_organisation;'
            : 'CREATE INDEX changes_kind ON changes (kind, seq); CREATE INDEX changes_organisation ON changes (organisation, seq);',
        );
        bare.close();
        katalog = startKatalog(db, empty, PORT);
        await waitFor(`${KATALOG}/health/ready`);
        return clients ? liveClients(100) : undefined;
      };
      const without = [];
      await restart('drop', false);
      without.push(await creates(key));
      const again = await restart('create', true);
      withFeed.push(await creates(key));
      again!.close();
      await restart('drop', false);
      without.push(await creates(key));
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      push({
        benchmark:
          'validated, durable creates with the feed in use (its indexes, 100 live clients) vs without (indexes dropped, no clients), 10 connections, two runs each',
        ours: `${mean(withFeed).toFixed(0)} creates/s (${withFeed.map((r) => r.toFixed(0)).join(', ')})`,
        reference: `${mean(without).toFixed(0)} creates/s (${without.map((r) => r.toFixed(0)).join(', ')})`,
        ratio: mean(withFeed) / mean(without),
        target: '>= 0.8',
      });
      return rows;
    } finally {
      for (const stop of stops) stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
