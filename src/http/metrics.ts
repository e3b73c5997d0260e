import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Kind, KINDS } from '../core/kinds.js';
import type { Store } from '../store/store.js';

/** What a cache tells of its lookups (record-cache.ts, document-cache.ts). */
export interface CacheCounts {
  hit(): void;
  miss(): void;
}

/** The route label of a request no route matched: one value, whatever the URL (bounded labels). */
const UNMATCHED_ROUTE = 'unmatched';

/** How long counts of records are kept before a scrape asks the store again. */
const RECORD_COUNTS_MS = 5000;

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, handles, event loop lag, GC) describe the process,
 * not an app: they are collected once per process into one registry that every app's registry
 * merges in, so that building several apps in one process (the tests do) starts one event-loop
 * monitor and one GC observer, not one per app that nothing could stop.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One app's metrics in Prometheus's text format (README "Operations"), in a registry of its own so
 * that several apps in one process never collide. Every label takes a bounded set of values: route
 * patterns, never URLs; problem kinds; profile ids that exist; the kinds of record.
 */
export class Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly requestDuration: Histogram<'route' | 'method'>;
  readonly storeQueryDuration: Histogram<'operation'>;
  readonly writesRefused: Counter<'method' | 'reason'>;
  readonly validationDuration: Histogram<'profile'>;
  private readonly cacheHits: Counter<'cache'>;
  private readonly cacheMisses: Counter<'cache'>;

  /** `store` is counted for katalog_records, at most every RECORD_COUNTS_MS, when scraped. */
  constructor(store: Store) {
    const own = new Registry();
    const registers = [own];
    this.requests = new Counter({
      name: 'katalog_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'katalog_http_request_duration_seconds',
      help: 'Time from a request to the end of its response (a streamed catalogue: its last byte), by route pattern and method.',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.storeQueryDuration = new Histogram({
      name: 'katalog_store_query_duration_seconds',
      help: 'Time of the store calls the app makes, by Store method.',
      labelNames: ['operation'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.writesRefused = new Counter({
      name: 'katalog_writes_refused_total',
      help: 'Writes (POST, PUT, DELETE of records) answered with a 4xx, by method and problem kind.',
      labelNames: ['method', 'reason'],
      registers,
    });
    this.validationDuration = new Histogram({
      name: 'katalog_validation_duration_seconds',
      help: 'Time of the SHACL validation of a written record, by profile (in the worker thread that validated it, if any).',
      labelNames: ['profile'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.cacheHits = new Counter({ name: 'katalog_cache_hits_total', help: 'Answers served from a cache, by cache.', labelNames: ['cache'], registers });
    this.cacheMisses = new Counter({
      name: 'katalog_cache_misses_total',
      help: 'Answers rendered anew and kept in a cache, by cache.',
      labelNames: ['cache'],
      registers,
    });
    const counts = new RecordCounts(store);
    new Gauge({
      name: 'katalog_records',
      help: `Live records in the store, by kind (counted at most every ${RECORD_COUNTS_MS / 1000} s; none while the store does not answer).`,
      labelNames: ['kind'],
      registers,
      async collect() {
        const latest = await counts.read();
        this.reset();
        for (const [kind, count] of latest ?? []) this.set({ kind }, count);
      },
    });
    this.registry = Registry.merge([processMetrics(), own]);
  }

  /**
   * Counts and times an answered request by the pattern of the route that answered it
   * (`/datasets/:id`, never the URL, so that labels stay bounded; UNMATCHED_ROUTE for every path
   * no route serves and for what Fastify refused before routing).
   */
  answered(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    this.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    this.requestDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  }

  /** katalog_feed_live_clients: the clients of GET /feed/live in this process, read on scrape. */
  liveClients(count: () => number): void {
    new Gauge({
      name: 'katalog_feed_live_clients',
      help: 'Clients connected to the live change feed (GET /feed/live) in this process.',
      registers: [this.registry],
      collect() {
        this.set(count());
      },
    });
  }

  /** The counters of one cache, at 0 from the start so that its hit ratio is defined at once. */
  cacheCounts(cache: 'record' | 'document'): CacheCounts {
    const hits = this.cacheHits.labels(cache);
    const misses = this.cacheMisses.labels(cache);
    hits.inc(0);
    misses.inc(0);
    return { hit: () => hits.inc(), miss: () => misses.inc() };
  }
}

/**
 * Counts of records by kind, kept for RECORD_COUNTS_MS: however often and however many scrapers
 * ask, the store counts at most six times per period, and scrapes that come together share one
 * count. A store that does not answer gives no counts (for the same period).
 */
class RecordCounts {
  private latest?: { at: number; counts: Promise<Map<Kind, number> | undefined> };

  constructor(private readonly store: Store) {}

  read(): Promise<Map<Kind, number> | undefined> {
    const now = performance.now();
    if (!this.latest || now - this.latest.at >= RECORD_COUNTS_MS) this.latest = { at: now, counts: this.count() };
    return this.latest.counts;
  }

  private async count(): Promise<Map<Kind, number> | undefined> {
    try {
      return new Map(await Promise.all(KINDS.map(async ({ kind }) => [kind, await this.store.count({ kind })] as const)));
    } catch {
      return undefined;
    }
  }
}

type StoreMethod = (...args: unknown[]) => unknown;

/**
 * The store with every call that returns a promise timed into `histogram` by the method's name
 * (a bounded set: the Store interface's). What answers synchronously (`changeMark`) or as an
 * iterator (`scan`, read batch by batch while a document streams: its time is the response's) is
 * passed through untimed. The store itself is unchanged, so every backend is timed alike.
 */
export function timedStore(store: Store, histogram: Histogram<'operation'>): Store {
  const timed = new Map<string, StoreMethod>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let method = timed.get(property);
      if (!method) {
        const operation = histogram.labels(property);
        method = (...args: unknown[]) => {
          const start = performance.now();
          const result: unknown = (value as StoreMethod).apply(target, args);
          if (result instanceof Promise) {
            const observe = () => operation.observe((performance.now() - start) / 1000);
            result.then(observe, observe);
          }
          return result;
        };
        timed.set(property, method);
      }
      return method;
    },
  });
}
