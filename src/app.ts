import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { KatalogError } from './core/errors.js';
import { answerClientError, sendProblem } from './http/problem.js';
import { documentationRoutes } from './http/routes/documentation.js';
import { compactFeed } from './catalog/feed.js';
import { LiveFeed } from './http/live-feed.js';
import { feedRoutes } from './http/routes/feed.js';
import { harvestRoutes } from './http/routes/harvest.js';
import { healthRoutes } from './http/routes/health.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { searchRoutes } from './http/routes/search.js';
import { validationRoutes } from './http/routes/validation.js';
import { QualityReports, qualityRoutes } from './http/routes/quality.js';
import { pageRoutes } from './http/routes/pages.js';
import { validatorPageRoutes } from './http/routes/validator-pages.js';
import { PageRenderer } from './http/pages/page-renderer.js';
import { representationConstraint } from './http/pages/representation.js';
import { writeRoutes } from './http/routes/writes.js';
import { TokenVerifier } from './catalog/tokens.js';
import rateLimit from '@fastify/rate-limit';
import { DocumentCache } from './http/document-cache.js';
import { RecordCache } from './http/record-cache.js';
import { Metrics, timedStore } from './http/metrics.js';
import { REQUEST_ID_HEADER, requestIdOf } from './http/request-ids.js';
import { registerRdfBodyParsers } from './http/rdf-bodies.js';
import type { ValidationResources } from './catalog/resources.js';
import type { BodySettings } from './catalog/body-work.js';
import { type BodyWork, InlineWork, WorkerPool } from './catalog/work-pool.js';
import { CONTEXT_DOCUMENT } from './core/jsonld-context.js';
import { projectFile } from './project-files.js';
import type { Store } from './store/store.js';

export interface AppDependencies {
  store: Store;
  /** Vocabularies and profiles, loaded once (src/catalog/resources.ts). */
  validation: ValidationResources;
  /** Readiness: true once the store is open and data/ has been loaded. Defaults to always ready. */
  isReady?: () => boolean;
  logger?: FastifyServerOptions['logger'];
  /** A folder for whole catalogues kept as files between writes (src/http/document-cache.ts). */
  cacheDir?: string;
  /** Where request bodies are parsed and validated; default: from config.workers (0: this thread). */
  work?: BodyWork;
  /** Told of every route as it is registered (the contract test compares them with openapi.yaml). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/** Media types worth compressing: every RDF syntax, JSON, problem details, YAML. */
const COMPRESSIBLE = /^(text\/|application\/(ld\+json|n-triples|n-quads|trig|rdf\+xml|json|problem\+json|yaml))/;

/**
 * Where request bodies are worked on: worker threads, or this thread for config.workers 0. By
 * default one thread fewer than the machine has processors (at least one), so that the event loop
 * keeps a processor to answer health checks and reads while bodies are worked on.
 */
export function bodyWork(config: Config, settings: BodySettings, validation: ValidationResources, onInternalError?: (detail: unknown) => void): BodyWork {
  if (config.workers === 0) return new InlineWork(settings, validation);
  const size = config.workers ?? Math.max(1, availableParallelism() - 1);
  return new WorkerPool(
    settings,
    { size, memoryMb: config.workerMemoryMb, budgetMs: config.workBudgetMs, onInternalError },
    new InlineWork(settings, validation),
  );
}

/** The settings every request body is worked on with. */
export function bodySettings(config: Config): BodySettings {
  const baseUrl = config.publicBaseUrl;
  return { baseUrl, knownContexts: { [`${baseUrl}/context.jsonld`]: CONTEXT_DOCUMENT }, limits: config.limits, maxReportResults: config.maxReportResults };
}

/**
 * Builds the HTTP application. Everything is registered here, by hand and in order, so this file
 * is the map of the server. It opens nothing and listens on nothing: main.ts does.
 */
export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  // The app's own metrics (GET /metrics); every store call the app makes is timed.
  const metrics = new Metrics(deps.store);
  const store = timedStore(deps.store, metrics.storeQueryDuration);
  const app = Fastify({
    logger: deps.logger ?? false,
    // Pages for people and RDF for machines at the same URLs (src/http/pages/representation.ts).
    routerOptions: { ignoreTrailingSlash: true, constraints: { representation: representationConstraint } },
    return503OnClosing: true,
    requestTimeout: config.requestTimeoutMs,
    bodyLimit: config.bodyLimit,
    // Every log line of a request carries its id (reqId), the caller's own when it is safe.
    genReqId: requestIdOf,
    // What Fastify answers before any route or error handler (a malformed URL, a path segment over
    // maxParamLength) and what Node's parser refuses (malformed HTTP, headers over maxHeaderSize)
    // are problems too, quoting nothing of the request. No hook sees them, so they are counted here.
    frameworkErrors: (error, request, reply) => void sendProblem(request, reply, error).then(() => metrics.answered(request, reply)),
    clientErrorHandler: answerClientError,
  });
  const baseUrl = config.publicBaseUrl;
  const openapiPath = projectFile('openapi.yaml');

  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new KatalogError('not-found', `Nothing is served at ${request.method} ${request.url}.`)),
  );
  // Every response varies by Accept (docs/design.md, Representations); compression adds Accept-Encoding.
  // Every response names its request, so that a caller can point us to its log lines.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('vary', 'Accept');
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // Registered before the routes, so that every answer is counted, also one written past the reply.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.answered(request, reply);
    done();
  });

  registerRdfBodyParsers(app, config.bodyLimit);
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], customTypes: COMPRESSIBLE });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, { mode: 'static', specification: { path: openapiPath, baseDir: projectFile() } });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes, { store, isReady: deps.isReady ?? (() => true) });
  await app.register(metricsRoutes, { metrics });
  await app.register(documentationRoutes, { openapiYaml: readFileSync(openapiPath, 'utf8') });
  const cache = deps.cacheDir ? new DocumentCache(deps.cacheDir, metrics.cacheCounts('document')) : undefined;
  const records = config.recordCacheBytes > 0 ? new RecordCache(config.recordCacheBytes, metrics.cacheCounts('record')) : undefined;
  // Request bodies are parsed, validated and rendered away from the event loop (README "Bounds").
  const settings = bodySettings(config);
  const work = deps.work ?? bodyWork(config, settings, deps.validation, (detail) => app.log.error({ detail }, 'body task failed'));
  if (!deps.work) app.addHook('onClose', () => work.close());
  await app.register(harvestRoutes, { store, baseUrl, cache, records, work });
  await app.register(searchRoutes, { store, vocabularies: deps.validation.vocabularies, baseUrl, cache: records });
  const live = new LiveFeed({ store, baseUrl, maxClients: config.liveClients, heartbeatMs: config.liveHeartbeatMs });
  metrics.liveClients(() => live.size);
  // Live streams never end by themselves: ended before the server waits for its connections.
  app.addHook('preClose', async () => live.close());
  await app.register(feedRoutes, { store, baseUrl, pageSize: config.feedPageSize, cache: records, live, retention: config.feedRetention });
  // What the feed no longer keeps is removed once started and then every hour, by one process at a time.
  if (config.feedRetention.keep !== 'all') {
    const compact = () =>
      store
        .whileLocked('compact', () => compactFeed(store, config.feedRetention))
        .then((removed) => removed > 0 && app.log.info({ removed }, 'change feed compacted'))
        .catch((error: unknown) => app.log.warn({ err: error }, 'the change feed could not be compacted now'));
    const timer = setInterval(() => void compact(), 3_600_000).unref();
    app.addHook('onReady', async () => void compact());
    app.addHook('onClose', async () => clearInterval(timer));
  }
  await app.register(validationRoutes, { resources: deps.validation, baseUrl, work, rateLimit: config.validateRateLimit });
  const qualityReports = new QualityReports(deps.validation, baseUrl, work);
  await app.register(qualityRoutes, { store, reports: qualityReports });
  // Pages for people (docs/pages.md): registered last, each beside the RDF route of its URL.
  const renderer = new PageRenderer();
  await app.register(pageRoutes, { store, vocabularies: deps.validation.vocabularies, baseUrl, renderer, work, cache: records, quality: qualityReports });
  await app.register(validatorPageRoutes, { resources: deps.validation, renderer, work, bodyLimit: config.bodyLimit, rateLimit: config.validateRateLimit });
  // Bearer JWTs of one national issuer besides API keys (README "Writing with tokens").
  const tokens = config.tokens ? new TokenVerifier(config.tokens) : undefined;
  await app.register(writeRoutes, { store, work, baseUrl, rateLimit: config.writeRateLimit, metrics, tokens });
  return app;
}
