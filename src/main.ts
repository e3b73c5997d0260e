#!/usr/bin/env node
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bodySettings, bodyWork, buildApp } from './app.js';
import { describeFile, describeLoad, describeTotal, loadDirectory } from './catalog/data-loader.js';
import { type Config, ConfigError, readConfig } from './config.js';
import { CONTEXT_DOCUMENT } from './core/jsonld-context.js';
import { loadValidationResources, type ValidationResources } from './catalog/resources.js';
import { fieldsWithQuality } from './catalog/quality.js';
import { apikeyCommand } from './cli/apikey.js';
import { validateCommand } from './cli/validate.js';
import { checkCommand } from './cli/check.js';
import { removeStaleCaches } from './http/document-cache.js';
import { PgStore } from './store/pg-store.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';

const USAGE = `Usage: katalog <command>

Commands:
  serve [--workers N]
               start the HTTP server (loads DATA_DIR into an empty store first); with --workers,
               N processes share the port (node:cluster) and the store
  migrate      apply the store's schema migrations and exit (serve and load apply them too)
  load DIR     load the RDF files below DIR into the store and print what was loaded
  validate FILE... [--profile ID | --shapes SHAPES.ttl ...] [--lang nb|en] [--format text|json|ttl]
               validate RDF files against a profile; exit 0 conforms, 1 violations, 2 bad input
  check URL|FILE [--accept TYPE] [--profile ID] [--format text|json]
               read a harvest source as Felles datakatalog's harvester does and report what it would
               import, refuse and drop; exit 0 ready, 1 problems, 2 could not fetch or parse
  apikey create --org ORGNR [--admin] [--label TEXT] | apikey list | apikey revoke ID
               manage the API keys agencies write with (keys are stored hashed)
  reindex      build the search index again from every stored record
  help         show this text

Configuration comes from the environment: PORT, HOST, PUBLIC_BASE_URL, DATABASE_URL (PostgreSQL) or
KATALOG_DB (the SQLite file, when DATABASE_URL is not set), DATA_DIR, LOG_LEVEL (see README.md).`;

/** PostgreSQL when DATABASE_URL is set, else the embedded SQLite file; either way migrated. */
async function openStore(config: Config): Promise<Store> {
  return config.databaseUrl ? PgStore.open(config.databaseUrl) : new SqliteStore(config.databaseFile);
}

/**
 * Loads DATA_DIR into an empty store, once: under the store's lock, so that several processes
 * starting at once on an empty database do not all load it.
 */
async function loadIfEmpty(store: Store, config: Config, validation: ValidationResources, log: (line: string) => void): Promise<void> {
  await store.whileLocked('initial load', async () => {
    if ((await store.state()).lastSeq !== 0) return;
    const report = await loadDirectory(store, resolve(config.dataDir), loadOptions(config, validation));
    for (const line of describeLoad(report)) log(`load ${config.dataDir}: ${line}`);
  });
}

/**
 * `serve --workers N`: this process loads an empty store, then starts N processes that serve the
 * same port (node:cluster hands out connections) and the same store, starts a new one when one
 * dies, and stops them on SIGTERM / SIGINT.
 */
async function serveProcesses(config: Config, workers: number): Promise<void> {
  const store = await openStore(config);
  try {
    await loadIfEmpty(store, config, loadValidationResources(), (line) => console.log(line));
  } finally {
    await store.close();
  }
  let stopping = false;
  const start = () => cluster.fork({ KATALOG_LOADED: '1' });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`katalog: process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    start();
  });
  for (let i = 0; i < workers; i++) start();
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    let left = Object.keys(cluster.workers ?? {}).length;
    if (left === 0) process.exit(0);
    cluster.on('exit', () => --left === 0 && process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function loadOptions(config: Config, validation: ValidationResources) {
  return { baseUrl: config.publicBaseUrl, knownContexts: { [`${config.publicBaseUrl}/context.jsonld`]: CONTEXT_DOCUMENT }, validation };
}

async function serve(config: Config): Promise<void> {
  const store = await openStore(config);
  const validation = loadValidationResources();
  let ready = false;
  // One cache folder per process (several may serve one database), and none left by processes that are gone.
  const caches = config.databaseFile === ':memory:' ? undefined : join(dirname(resolve(config.databaseFile)), 'cache');
  if (caches) removeStaleCaches(caches);
  const cacheDir = caches && join(caches, String(process.pid));
  // Request bodies are worked on in worker threads; the server is ready once they are.
  const work = bodyWork(config, bodySettings(config), validation, (detail) => app.log.error({ detail }, 'body task failed'));
  const app = await buildApp(config, { store, validation, work, cacheDir, isReady: () => ready, logger: { level: config.logLevel } });
  // @fastify/compress asks of every answer whether it is a fetch Response; Node loads the fetch
  // implementation on the first use of the global, which would hold up the first answer by 70 ms.
  void globalThis.Response;
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Katalog is serving ${config.publicBaseUrl} (listening on http://${config.host}:${port}${cluster.isWorker ? `, process ${process.pid}` : ''})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: finishing requests in flight, then closing`);
    // A response still streaming leaves a keep-alive connection behind when it ends; close each
    // connection as soon as it is idle, so that closing waits for responses, not for clients.
    const idle = setInterval(() => app.server.closeIdleConnections(), 50);
    await app.close();
    clearInterval(idle);
    await work.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // A process of `serve --workers` finds the store loaded by the first.
  if (process.env.KATALOG_LOADED !== '1') await loadIfEmpty(store, config, validation, (line) => app.log.info(line));
  await work.ready();
  ready = true;
  app.log.info({ records: (await store.state()).count }, 'ready');
}

async function load(config: Config, args: string[]): Promise<number> {
  const dir = args[0];
  if (!dir) {
    console.error('katalog load: name the folder to load, e.g. katalog load data');
    return 2;
  }
  const store = await openStore(config);
  const started = performance.now();
  let records = 0;
  const tty = process.stdout.isTTY;
  try {
    const report = await loadDirectory(store, resolve(dir), {
      ...loadOptions(config, loadValidationResources()),
      // Files are prepared beside the writes, in as many threads as the machine offers.
      threads: availableParallelism(),
      onFile: (entry, done, total) => {
        records += Object.values(entry.loaded).reduce((a, b) => a + b, 0);
        const rate = Math.round(records / ((performance.now() - started) / 1000));
        if (tty) process.stdout.write('\r\x1b[K');
        for (const line of describeFile(entry)) console.log(line);
        const width = 30;
        const filled = Math.round((done / total) * width);
        const progress = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files, ${records} records, ${rate} records/s`;
        if (tty) process.stdout.write(progress);
        else console.log(`progress: ${done}/${total} files, ${records} records, ${rate} records/s`);
      },
    });
    if (tty) process.stdout.write('\r\x1b[K');
    console.log(`${describeTotal(report)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return report.failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { workers: { type: 'string' } } });
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`katalog: ${error.message}`);
    return 2;
  }
  switch (command) {
    case 'serve': {
      const workers = values.workers === undefined ? 0 : Number(values.workers);
      if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
        console.error('katalog serve: --workers takes a number of processes from 1 to 64');
        return 2;
      }
      if (workers > 0 && cluster.isPrimary) await serveProcesses(config, workers);
      else await serve(config);
      return -1;
    }
    case 'migrate': {
      const store = await openStore(config);
      await store.close();
      console.log(`migrated: ${config.databaseUrl ? 'the PostgreSQL database' : config.databaseFile} has every migration of this Katalog`);
      return 0;
    }
    case 'load':
      return load(config, rest);
    case 'apikey': {
      const store = await openStore(config);
      try {
        return await apikeyCommand(argv.slice(argv.indexOf('apikey') + 1), store);
      } finally {
        await store.close();
      }
    }
    case 'reindex': {
      const store = await openStore(config);
      try {
        const started = performance.now();
        // The quality scores need the validation resources (docs/quality.md).
        const count = await store.reindex(fieldsWithQuality(loadValidationResources()));
        console.log(`reindexed ${count} record(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return 0;
      } finally {
        await store.close();
      }
    }
    case 'validate':
      return validateCommand(argv.slice(argv.indexOf('validate') + 1), loadValidationResources(), config.publicBaseUrl);
    case 'check':
      return checkCommand(argv.slice(argv.indexOf('check') + 1), loadValidationResources());
    default:
      console.error(`katalog: unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`katalog: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
