import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The environment Katalog reads, in one schema that gives both the type and the runtime check. */
const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
    KATALOG_DB: z.string().min(1).default('var/katalog.db'),
    DATABASE_URL: z
      .string()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('data'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    MAX_TRIPLES: z.coerce.number().int().min(1).default(50_000),
    MAX_IRI_LENGTH: z.coerce.number().int().min(64).default(4_096),
    MAX_LITERAL_LENGTH: z.coerce.number().int().min(1).default(100_000),
    MAX_DEPTH: z.coerce.number().int().min(4).default(64),
    MAX_VALUES_PER_PROPERTY: z.coerce.number().int().min(1).default(10_000),
    MAX_JSONLD_VALUES_PER_PROPERTY: z.coerce.number().int().min(1).default(2_000),
    MAX_JSONLD_CONTEXTS: z.coerce.number().int().min(1).default(64),
    MAX_RECORDS: z.coerce.number().int().min(1).default(5_000),
    MAX_RECORD_TRIPLES: z.coerce.number().int().min(1).default(5_000),
    MAX_REPORT_RESULTS: z.coerce.number().int().min(1).default(1_000),
    WORK_BUDGET_MS: z.coerce.number().int().min(10).default(5_000),
    WORKERS: z.coerce.number().int().min(0).max(64).optional(),
    WORKER_MEMORY_MB: z.coerce.number().int().min(64).default(384),
    VALIDATE_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    WRITE_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
    RECORD_CACHE_MB: z.coerce.number().min(0).default(32),
    FEED_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    FEED_LIVE_MAX_CLIENTS: z.coerce.number().int().min(0).default(1000),
    FEED_LIVE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    JWKS_URL: z
      .string()
      .url()
      // Keys fetched in the clear could be swapped on the way: https, except on this machine.
      .refine(
        (u) => /^https:\/\//.test(u) || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
        'must be an https URL (http only on this machine: 127.x.x.x, localhost, [::1])',
      )
      .optional(),
    JWKS_FILE: z.string().min(1).optional(),
    JWT_PRESET: z.enum(['maskinporten', 'fdk']).optional(),
    JWT_WRITE_SCOPE: z.string().min(1).optional(),
    JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(300).default(30),
    JWKS_REFRESH_S: z.coerce.number().int().min(10).default(300),
    FEED_RETENTION: z
      .string()
      .regex(/^(all|latest|P[1-9][0-9]{0,4}D)$/, 'must be all, latest or a number of days as P30D')
      .default('all'),
  })
  .superRefine((env, context) => {
    // Tokens are all or nothing: an issuer, an audience, a preset and one source of keys.
    const given = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_PRESET', 'JWKS_URL', 'JWKS_FILE'].filter((k) => env[k as keyof typeof env] !== undefined);
    if (given.length === 0) return;
    for (const needed of ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_PRESET'] as const) {
      if (env[needed] === undefined) context.addIssue({ code: 'custom', path: [needed], message: `is needed with ${given.join(', ')}` });
    }
    if ((env.JWKS_URL === undefined) === (env.JWKS_FILE === undefined)) {
      context.addIssue({ code: 'custom', path: ['JWKS_URL'], message: "give the issuer's keys as JWKS_URL or JWKS_FILE (one of them)" });
    }
    if (env.JWT_PRESET === 'maskinporten' && env.JWT_WRITE_SCOPE === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['JWT_WRITE_SCOPE'],
        message: 'is needed with JWT_PRESET=maskinporten (the scope a token must carry to write)',
      });
    }
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseFile: env.KATALOG_DB,
    /** The PostgreSQL database (docs/storage.md, "PostgreSQL"); undefined: the SQLite file `databaseFile`. */
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
    bodyLimit: env.BODY_LIMIT,
    limits: {
      maxTriples: env.MAX_TRIPLES,
      maxIriLength: env.MAX_IRI_LENGTH,
      maxLiteralLength: env.MAX_LITERAL_LENGTH,
      maxDepth: env.MAX_DEPTH,
      maxValuesPerProperty: env.MAX_VALUES_PER_PROPERTY,
      maxJsonLdValuesPerProperty: Math.min(env.MAX_JSONLD_VALUES_PER_PROPERTY, env.MAX_VALUES_PER_PROPERTY),
      maxJsonLdContexts: env.MAX_JSONLD_CONTEXTS,
      maxRecords: env.MAX_RECORDS,
      maxRecordTriples: env.MAX_RECORD_TRIPLES,
    },
    maxReportResults: env.MAX_REPORT_RESULTS,
    workBudgetMs: env.WORK_BUDGET_MS,
    /** Worker threads for parsing and validating request bodies; undefined: one fewer than the processors (at least one). */
    workers: env.WORKERS,
    workerMemoryMb: env.WORKER_MEMORY_MB,
    validateRateLimit: env.VALIDATE_RATE_LIMIT,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    writeRateLimit: env.WRITE_RATE_LIMIT,
    recordCacheBytes: Math.floor(env.RECORD_CACHE_MB * 2 ** 20),
    /** Changes per page of a change feed (docs/feed.md). */
    feedPageSize: env.FEED_PAGE_SIZE,
    /** Clients of GET /feed/live at once, per process, and how often an idle one hears a heartbeat. */
    liveClients: env.FEED_LIVE_MAX_CLIENTS,
    liveHeartbeatMs: env.FEED_LIVE_HEARTBEAT_MS,
    /** What the change feed keeps (docs/feed.md, "What is kept"). */
    feedRetention: retentionOf(env.FEED_RETENTION),
    /** Bearer JWTs of one issuer (README "Writing with tokens"); undefined: API keys only. */
    tokens:
      env.JWT_ISSUER && env.JWT_AUDIENCE && env.JWT_PRESET
        ? {
            issuer: env.JWT_ISSUER,
            audience: env.JWT_AUDIENCE,
            preset: env.JWT_PRESET,
            jwks: env.JWKS_URL ? { url: env.JWKS_URL } : { file: env.JWKS_FILE! },
            writeScope: env.JWT_WRITE_SCOPE,
            clockSkewS: env.JWT_CLOCK_SKEW_S,
            refreshS: env.JWKS_REFRESH_S,
          }
        : undefined,
  }));

/** FEED_RETENTION as catalog/feed.ts's Retention. */
function retentionOf(setting: string): { keep: 'all' } | { keep: 'latest' } | { keep: 'days'; days: number } {
  if (setting === 'all' || setting === 'latest') return { keep: setting };
  return { keep: 'days', days: Number(setting.slice(1, -1)) };
}

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {}

/**
 * Reads the configuration from an environment. An empty variable counts as unset. A bad value
 * throws ConfigError with one line naming the variable and what is wrong.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.keys(schema.in.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`${variable}=${JSON.stringify(env[variable] ?? '')} is invalid: ${issue.message}`);
  }
  return result.data;
}
