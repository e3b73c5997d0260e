/**
 * Hostile bearer tokens (README "Writing with tokens"): junk that looks like a JWT, a header of
 * kilobytes, `alg: none` claiming to be the administrator, tokens naming made-up keys (each makes the
 * server read the issuer's keys again, at most once a second), a valid token writing for another
 * organisation. Each is refused quickly with nothing stored, and the server stays responsive.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect } from 'vitest';
import { dataset } from './bodies.js';
import { hostileCase, ORG_A, ORG_B, useKatalog } from './harness.js';

const ISSUER = 'https://issuer.hostile';
const AUDIENCE = 'katalog';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = join(mkdtempSync(join(tmpdir(), 'katalog-hostile-jwks-')), 'jwks.json');
writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'real', alg: 'RS256' }] }));
useKatalog({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_PRESET: 'fdk', JWKS_FILE: jwks });

const sign = (claims: Record<string, unknown>, kid = 'real') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(privateKey);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const write = (token: string, org = ORG_A) => ({
  method: 'POST' as const,
  path: '/datasets',
  contentType: 'text/turtle',
  headers: { authorization: `Bearer ${token}` },
  body: dataset({ org }),
});
const unauthorized = {
  status: 401,
  kind: 'unauthorized',
  check: (reply: { headers: Record<string, unknown> }) => expect(String(reply.headers['www-authenticate'])).toMatch(/^Bearer/),
};

describe('hostile bearer tokens', () => {
  hostileCase('refuses 8 KB of junk shaped like a JWT with 401', () => write(`${'a'.repeat(4000)}.${'b'.repeat(4000)}.c`), unauthorized);
  hostileCase(
    'refuses a token whose header is 6 KB of JSON with 401',
    () => write(`${b64({ alg: 'RS256', kid: 'real', x: 'y'.repeat(4500) })}.${b64({ sub: 'x' })}.sig`),
    unauthorized,
  );
  hostileCase(
    'refuses alg none claiming system:root:admin with 401',
    () => write(`${b64({ alg: 'none' })}.${b64({ iss: ISSUER, aud: AUDIENCE, authorities: 'system:root:admin', exp: 4e9, iat: 1 })}.`),
    unauthorized,
  );
  hostileCase(
    'refuses a token naming a key the issuer does not have with 401',
    async () => write(await sign({ authorities: `organization:${ORG_A}:write` }, `made-up-${Math.random()}`)),
    unauthorized,
  );
  hostileCase(
    'refuses a valid token writing for another organisation with 403',
    async () => write(await sign({ sub: 'a', authorities: `organization:${ORG_A}:write` }), ORG_B),
    {
      status: 403,
      kind: 'forbidden',
    },
  );
  hostileCase(
    'takes a valid token for its own organisation (control)',
    async () => write(await sign({ sub: 'a', authorities: `organization:${ORG_A}:write` })),
    {
      status: 201,
      writes: true,
    },
  );
});
