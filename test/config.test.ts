import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('takes tokens of one issuer all or nothing, naming what is missing', () => {
    const fdk = { JWT_ISSUER: 'https://sso.test/realms/fdk', JWT_AUDIENCE: 'katalog', JWT_PRESET: 'fdk', JWKS_URL: 'https://sso.test/certs' };
    expect(readConfig(fdk).tokens).toEqual({
      issuer: 'https://sso.test/realms/fdk',
      audience: 'katalog',
      preset: 'fdk',
      jwks: { url: 'https://sso.test/certs' },
      writeScope: undefined,
      clockSkewS: 30,
      refreshS: 300,
    });
    expect(readConfig({}).tokens).toBeUndefined();
    expect(() => readConfig({ ...fdk, JWT_AUDIENCE: '' })).toThrow(/JWT_AUDIENCE.*is needed/);
    expect(() => readConfig({ ...fdk, JWKS_FILE: 'keys.json' })).toThrow(/JWKS_URL.*one of them/);
    expect(() => readConfig({ ...fdk, JWT_PRESET: 'maskinporten' })).toThrow(/JWT_WRITE_SCOPE.*is needed/);
    expect(() => readConfig({ ...fdk, JWT_PRESET: 'keycloak' })).toThrow(ConfigError);
    // The keys over https, or over http on this machine only (the tests' own issuer).
    expect(() => readConfig({ ...fdk, JWKS_URL: 'http://sso.test/certs' })).toThrow(/JWKS_URL.*https/);
    expect(() => readConfig({ ...fdk, JWKS_URL: 'http://127.0.0.1.evil.test/certs' })).toThrow(/JWKS_URL.*https/);
    expect(readConfig({ ...fdk, JWKS_URL: 'http://127.0.0.1:4000/certs' }).tokens?.jwks).toEqual({ url: 'http://127.0.0.1:4000/certs' });
    expect(readConfig({ ...fdk, JWKS_URL: 'http://localhost/certs' }).tokens?.jwks).toEqual({ url: 'http://localhost/certs' });
  });

  it('has defaults for a newcomer', () => {
    expect(readConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://localhost:3000',
      databaseFile: 'var/katalog.db',
      dataDir: 'data',
      logLevel: 'info',
      bodyLimit: 10 * 1024 * 1024,
      limits: {
        maxTriples: 50_000,
        maxIriLength: 4_096,
        maxLiteralLength: 100_000,
        maxDepth: 64,
        maxValuesPerProperty: 10_000,
        maxJsonLdValuesPerProperty: 2_000,
        maxJsonLdContexts: 64,
        maxRecords: 5_000,
        maxRecordTriples: 5_000,
      },
      maxReportResults: 1_000,
      workBudgetMs: 5_000,
      workers: undefined,
      workerMemoryMb: 384,
      validateRateLimit: 600,
      requestTimeoutMs: 30_000,
      writeRateLimit: 600,
      recordCacheBytes: 32 * 2 ** 20,
      feedPageSize: 100,
      liveClients: 1000,
      liveHeartbeatMs: 15_000,
      feedRetention: { keep: 'all' },
    });
  });

  it('derives the public base URL from the port, and drops a trailing slash', () => {
    expect(readConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(readConfig({ PUBLIC_BASE_URL: 'https://katalog.example.no/' }).publicBaseUrl).toBe('https://katalog.example.no');
    expect(readConfig({ FEED_RETENTION: 'latest' }).feedRetention).toEqual({ keep: 'latest' });
    expect(readConfig({ FEED_RETENTION: 'P90D' }).feedRetention).toEqual({ keep: 'days', days: 90 });
  });

  it('stops on a bad value with one line naming the variable', () => {
    for (const [variable, value] of [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PUBLIC_BASE_URL', 'ftp://files.example'],
      ['PUBLIC_BASE_URL', 'not a url'],
      ['LOG_LEVEL', 'loud'],
      ['RECORD_CACHE_MB', '-1'],
      ['RECORD_CACHE_MB', 'lots'],
      ['MAX_DEPTH', '2'],
      ['WORK_BUDGET_MS', 'soon'],
      ['WORKERS', '-1'],
      ['FEED_PAGE_SIZE', '0'],
      ['FEED_PAGE_SIZE', '1001'],
      ['FEED_LIVE_MAX_CLIENTS', '-1'],
      ['FEED_LIVE_HEARTBEAT_MS', '10'],
      ['FEED_RETENTION', 'forever'],
      ['FEED_RETENTION', 'P0D'],
      ['FEED_RETENTION', 'P1M'],
    ] as const) {
      const error = (() => {
        try {
          readConfig({ [variable]: value });
        } catch (e) {
          return e;
        }
      })();
      expect(error, `${variable}=${value}`).toBeInstanceOf(ConfigError);
      expect((error as Error).message.startsWith(`${variable}=`)).toBe(true);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
