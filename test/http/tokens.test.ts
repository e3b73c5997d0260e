import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';

/**
 * Writing with bearer JWTs (README "Writing with tokens"): an issuer of the test's own, its keys
 * served on 127.0.0.1 (no network), each preset, every refusal with the store unchanged, and a key
 * rotation while the server runs.
 */

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'https://katalog.test';
const BRREG = '974760673';
const DIGDIR = '991825827';
const orgIri = (org: string) => `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${org}`;

const dataset = (id: string, org = BRREG) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://katalog.test/datasets/${id}> a dcat:Dataset ; dct:identifier "${id}" ; dct:title "Tokendatasett"@nb ;
  dct:description "Skrevet med et token."@nb ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
  dct:publisher <${orgIri(org)}> .`;

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** An issuer: key pairs, the JWKS it publishes (changeable: a rotation), served over HTTP. */
class Issuer {
  published: JWK[] = [];
  fetches = 0;
  /** Answer 500 (an outage). */
  down = false;
  private server?: Server;
  url = '';

  async start() {
    this.server = createServer((request, response) => {
      this.fetches++;
      if (this.down) return void response.writeHead(500).end('down');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.published }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/jwks`;
  }

  stop() {
    this.server?.close();
  }

  static async key(kid: string) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }
}

const sign = (
  key: { kid: string; privateKey: Key },
  claims: Record<string, unknown>,
  options: { exp?: string | number; iss?: string; aud?: string; nbf?: number } = {},
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .setNotBefore(options.nbf ?? Math.floor(Date.now() / 1000) - 1)
    .sign(key.privateKey);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let issuer: Issuer;
let first: Awaited<ReturnType<typeof Issuer.key>>;

beforeAll(async () => {
  issuer = new Issuer();
  await issuer.start();
  first = await Issuer.key('first');
  issuer.published = [first.jwk];
});
afterAll(() => issuer.stop());

const put = (t: TestApp, id: string, token: string, org = BRREG) =>
  t.app.inject({
    method: 'PUT',
    url: `/datasets/${id}`,
    payload: dataset(id, org),
    headers: { 'content-type': 'text/turtle', authorization: `Bearer ${token}` },
  });

describe('bearer tokens with the fdk preset (Felles datakatalog authorities)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(join(FIXTURES, 'http'), { env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_PRESET: 'fdk', JWKS_URL: issuer.url } });
  });
  afterAll(() => t.close());

  it('writes for the organisation the token names, and refuses another organisation with 403', async () => {
    const token = await sign(first, { sub: 'ola', authorities: `organization:${BRREG}:write,organization:${DIGDIR}:read` });
    expect((await put(t, 'tok-1', token)).statusCode).toBe(201);
    const before = await t.store.count();
    const other = await put(t, 'tok-2', token, DIGDIR);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ type: 'urn:katalog:problem:forbidden' });
    expect(await t.store.count()).toBe(before);
  });

  it('lets system:root:admin write for any organisation, and refuses a token with no organisation as insufficient_scope', async () => {
    const root = await sign(first, { sub: 'admin', authorities: ['system:root:admin'] });
    expect((await put(t, 'tok-3', root, DIGDIR)).statusCode).toBe(201);
    const none = await put(t, 'tok-4', await sign(first, { sub: 'x', authorities: 'organization:974760673:read' }));
    expect(none.statusCode).toBe(403);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope"/);
  });

  it('refuses every token it cannot trust with 401, a reason and WWW-Authenticate, and stores nothing', async () => {
    const claims = { sub: 'ola', authorities: `organization:${BRREG}:admin` };
    const stranger = await Issuer.key('stranger');
    const valid = await sign(first, claims);
    const [header, payload] = valid.split('.');
    const forged = `${header}.${base64url({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), authorities: 'system:root:admin' })}.${valid.split('.')[2]}`;
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    // An HMAC token "signed" with the issuer's public key as its secret.
    const hsHeader = base64url({ alg: 'HS256', kid: 'first' });
    const hs = `${hsHeader}.${payload}.${createHmac('sha256', JSON.stringify(first.jwk)).update(`${hsHeader}.${payload}`).digest('base64url')}`;
    const cases: Array<[string, string]> = [
      ['expired', await sign(first, claims, { exp: Math.floor(Date.now() / 1000) - 120 })],
      ['wrong audience', await sign(first, claims, { aud: 'https://elsewhere.test' })],
      ['wrong issuer', await sign(first, claims, { iss: 'https://evil.test' })],
      ['not yet valid', await sign(first, claims, { nbf: Math.floor(Date.now() / 1000) + 600 })],
      ['unknown key', await sign(stranger, claims)],
      ['bad signature', forged],
      ['algorithm not allowed', none],
      ['algorithm not allowed', hs],
      ['malformed', 'e30.e30.e30'],
    ];
    const before = await t.store.state();
    for (const [reason, token] of cases) {
      const response = await put(t, 'tok-refused', token);
      expect(response.statusCode, reason).toBe(401);
      expect(response.headers['www-authenticate'], reason).toBe(`Bearer error="invalid_token", error_description="${reason}"`);
      expect(response.json(), reason).toMatchObject({ type: 'urn:katalog:problem:unauthorized', reason });
    }
    expect(await t.store.state()).toEqual(before);
    expect((await t.app.inject({ url: '/datasets/tok-refused' })).statusCode).toBe(404);
  });

  it('takes a rotated key while it runs: an unknown key id fetches the keys again', async () => {
    const second = await Issuer.key('second');
    issuer.published = [second.jwk];
    await new Promise((r) => setTimeout(r, 1100));
    const fetched = issuer.fetches;
    expect((await put(t, 'tok-5', await sign(second, { sub: 'ola', authorities: `organization:${BRREG}:write` }))).statusCode).toBe(201);
    expect(issuer.fetches).toBeGreaterThan(fetched);
    // The retired key no longer verifies once the keys are fetched again.
    await new Promise((r) => setTimeout(r, 1100));
    const retired = await put(t, 'tok-6', await sign(first, { sub: 'ola', authorities: `organization:${BRREG}:write` }));
    expect(retired.statusCode).toBe(401);
    issuer.published = [first.jwk, second.jwk];
  });
});

describe('bearer tokens with the maskinporten preset', () => {
  let t: TestApp;
  const SCOPE = 'katalog:write';
  beforeAll(async () => {
    issuer.published = [first.jwk];
    t = await buildTestApp(join(FIXTURES, 'http'), {
      env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_PRESET: 'maskinporten', JWT_WRITE_SCOPE: SCOPE, JWKS_URL: issuer.url },
    });
  });
  afterAll(() => t.close());

  it('writes as the consumer, also when a supplier acts for it, and needs the write scope', async () => {
    const consumer = { ID: `0192:${BRREG}`, authority: 'iso6523-actorid-upis' };
    expect((await put(t, 'mp-1', await sign(first, { scope: `other ${SCOPE}`, consumer, client_id: 'c1' }))).statusCode).toBe(201);
    const supplied = await sign(first, { scope: SCOPE, consumer, supplier: { ID: `0192:${DIGDIR}` }, client_id: 'c2' });
    expect((await put(t, 'mp-2', supplied)).statusCode).toBe(201);
    expect((await put(t, 'mp-3', supplied, DIGDIR)).statusCode).toBe(403);
    const before = await t.store.count();
    const unscoped = await put(t, 'mp-4', await sign(first, { scope: 'other', consumer }));
    expect(unscoped.statusCode).toBe(403);
    expect(unscoped.headers['www-authenticate']).toBe(`Bearer error="insufficient_scope", scope="${SCOPE}"`);
    expect(await t.store.count()).toBe(before);
  });

  it('still takes API keys, and says what it takes when no credential comes', async () => {
    const missing = await t.app.inject({ method: 'PUT', url: '/datasets/mp-5', payload: dataset('mp-5'), headers: { 'content-type': 'text/turtle' } });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('an issuer that is down', () => {
  it('answers a token 503 (try again), not 401: the token may be good', async () => {
    const t = await buildTestApp(join(FIXTURES, 'http'), { env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_PRESET: 'fdk', JWKS_URL: issuer.url } });
    issuer.down = true;
    try {
      const before = await t.store.count();
      const response = await put(t, 'down-1', await sign(first, { sub: 'ola', authorities: `organization:${BRREG}:write` }));
      expect(response.statusCode).toBe(503);
      expect(await t.store.count()).toBe(before);
    } finally {
      issuer.down = false;
      await t.close();
    }
  });
});

describe('an issuer that goes down', () => {
  it('is not asked again for every token while it is down, and a new key is 503 (not 401) until it answers', async () => {
    const t = await buildTestApp(join(FIXTURES, 'http'), { env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_PRESET: 'fdk', JWKS_URL: issuer.url } });
    try {
      const token = (sub: string, key = first) => sign(key, { sub, authorities: `organization:${BRREG}:write` });
      expect((await put(t, 'gd-1', await token('a'))).statusCode).toBe(201);
      issuer.down = true;
      // Keys fetched before serve the tokens they verify.
      expect((await put(t, 'gd-2', await token('b'))).statusCode).toBe(201);
      // A key not among them: the issuer is asked (once the cooldown is over), is down, and the token waits.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const rotated = await Issuer.key('rotated');
      const before = issuer.fetches;
      const count = await t.store.count();
      for (let i = 0; i < 5; i++) {
        const response = await put(t, `gd-new-${i}`, await token(`n${i}`, rotated));
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBeDefined();
      }
      expect(issuer.fetches - before).toBe(1);
      expect(await t.store.count()).toBe(count);
      // Tokens of the keys fetched before still write meanwhile.
      expect((await put(t, 'gd-3', await token('c'))).statusCode).toBe(201);
    } finally {
      issuer.down = false;
      await t.close();
    }
  });
});

describe('a server without an issuer', () => {
  it('refuses a JWT as a credential it does not take', async () => {
    const t = await buildTestApp(join(FIXTURES, 'http'));
    try {
      const response = await put(t, 'no-1', await sign(first, { authorities: 'system:root:admin' }));
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toMatch(/JWT_ISSUER/);
    } finally {
      await t.close();
    }
  });
});
