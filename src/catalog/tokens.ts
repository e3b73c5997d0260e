import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LRUCache } from 'lru-cache';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import { KatalogError } from '../core/errors.js';
import type { Caller } from './api-keys.js';

/**
 * Bearer JWTs from a national identity service (README "Writing with tokens"): verified with jose
 * against one configured issuer's keys, and read by a preset into the caller the token speaks for,
 * with the same ownership rules as API keys. Only asymmetric algorithms are accepted, so neither
 * `alg: none` nor an HMAC token "signed" with the public key can pass.
 */

export type TokenPreset = 'maskinporten' | 'fdk';

export interface TokenSettings {
  issuer: string;
  audience: string;
  preset: TokenPreset;
  /** Where the issuer's keys are: fetched (and fetched again on an unknown key and every `refreshS`), or read from a file. */
  jwks: { url: string } | { file: string };
  /** The scope a Maskinporten token must carry to write. */
  writeScope?: string;
  clockSkewS: number;
  refreshS: number;
}

/**
 * How soon the keys are fetched again for a token naming a key not among them (a rotation): a
 * second, so that a rotated key works at once, and tokens with made-up key ids cost the issuer at
 * most one fetch a second.
 */
const JWKS_COOLDOWN_MS = 1_000;

/**
 * After a failed fetch of the issuer's keys, the keys fetched before serve (an outage of the issuer
 * does not stop writes) and the next fetch waits this long, doubling up to a minute: an issuer that
 * is down is not asked again for every request.
 */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** Keys fetched before serve in an outage for at most this many refresh periods after they were last known current. */
const FALLBACK_TRUST = 3;

/** How long a verified token is taken without checking its signature again (a removed key stops it within this). */
const VERIFIED_FOR_MS = 60_000;

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Three base64url parts: what a JWS in compact form looks like (API keys start with `kat_`). */
export const looksLikeJwt = (credential: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(credential);

type KeySet = Parameters<typeof jwtVerify>[1];

/** A refusal of a token: 401 with the reason in the problem and in WWW-Authenticate (RFC 6750). */
function invalidToken(reason: string, detail: string): KatalogError {
  return new KatalogError('unauthorized', `The token is not accepted: ${detail}`, {
    reason,
    wwwAuthenticate: `Bearer error="invalid_token", error_description="${reason}"`,
  });
}

/** A valid token that may not write: 403 insufficient_scope (RFC 6750). */
function insufficientScope(detail: string, scope?: string): KatalogError {
  return new KatalogError('forbidden', detail, {
    reason: 'insufficient scope',
    wwwAuthenticate: `Bearer error="insufficient_scope"${scope ? `, scope="${scope}"` : ''}`,
  });
}

export class TokenVerifier {
  private keys: KeySet | undefined;
  private fileRead = 0;

  constructor(private readonly settings: TokenSettings) {
    this.keys = 'url' in settings.jwks ? this.remoteKeys(settings.jwks.url) : this.readFile();
  }

  /**
   * The issuer's keys at a URL: jose fetches them (again on an unknown key, at most once a second,
   * and every `refreshS`); when a fetch fails, the keys fetched before serve, and the next fetch
   * waits (FIRST_BACKOFF_MS, doubling).
   */
  private remoteKeys(url: string): KeySet {
    const remote = createRemoteJWKSet(new URL(url), { cacheMaxAge: this.settings.refreshS * 1000, cooldownDuration: JWKS_COOLDOWN_MS, timeoutDuration: 5_000 });
    let retryAt = 0;
    let backoff = FIRST_BACKOFF_MS;
    /** When the keys were last known current (fetched within `refreshS`): older keys are not trusted in an outage. */
    let confirmed = 0;
    const trustedFor = FALLBACK_TRUST * this.settings.refreshS * 1000;
    let kept: { text: string; keys: ReturnType<typeof createLocalJWKSet> } | undefined;
    const down = () => new KatalogError('store-unavailable', "The issuer's keys could not be read now: try again shortly.");
    /** The keys fetched before; a key the issuer may have published since cannot be known while it is down: try again later. */
    const fetchedBefore: KeySet = async (header, token) => {
      const jwks = remote.jwks();
      // A key the issuer withdrew while it cannot be reached must not stay good for the whole outage.
      if (!jwks || Date.now() - confirmed > trustedFor) throw down();
      const text = JSON.stringify(jwks);
      if (kept?.text !== text) kept = { text, keys: createLocalJWKSet(jwks) };
      return kept.keys(header, token).catch((refused: unknown) => {
        throw refused instanceof errors.JWKSNoMatchingKey ? down() : refused;
      });
    };
    return async (header, token) => {
      if (Date.now() < retryAt) return fetchedBefore(header, token);
      try {
        const key = await remote(header, token);
        if (remote.fresh) confirmed = Date.now();
        backoff = FIRST_BACKOFF_MS;
        return key;
      } catch (error) {
        if (!issuerDown(error)) throw error;
        // Requests that shared the failed fetch wait once, not once each.
        if (Date.now() >= retryAt) {
          retryAt = Date.now() + backoff;
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
        return fetchedBefore(header, token);
      }
    };
  }

  /** A JWKS file, read again (at most once a second) when a token names a key it does not have, and every `refreshS`. */
  private readFile(): KeySet {
    const file = (this.settings.jwks as { file: string }).file;
    this.fileRead = Date.now();
    try {
      return createLocalJWKSet(JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet);
    } catch (error) {
      // A file being rewritten, or broken: the keys read before stay; with none, tokens wait (503).
      if (this.keys !== undefined) return this.keys;
      throw new KatalogError('store-unavailable', `The issuer's keys (${file}) cannot be read now: ${(error as Error).message}`);
    }
  }

  /**
   * The caller a token speaks for; throws unauthorized (401) or forbidden (403) naming why. A system
   * sends the same token until it expires: a token verified once is remembered (by its SHA-256, at
   * most VERIFIED_FOR_MS and never past its `exp`), so that its signature is checked once.
   */
  async verify(token: string): Promise<Caller> {
    const digest = createHash('sha256').update(token).digest('base64url');
    const known = this.verified.get(digest);
    if (known && Date.now() < known.until) return known.caller;
    const payload = await this.check(token);
    const caller = this.settings.preset === 'maskinporten' ? this.maskinporten(payload, token) : this.fdk(payload, token);
    const expires = (payload.exp ?? 0) * 1000 + this.settings.clockSkewS * 1000;
    this.verified.set(digest, { caller, until: Math.min(expires, Date.now() + VERIFIED_FOR_MS) });
    return caller;
  }

  private readonly verified = new LRUCache<string, { caller: Caller; until: number }>({ max: 10_000 });

  private async check(token: string, again = true): Promise<JWTPayload> {
    try {
      if ('file' in this.settings.jwks && Date.now() - this.fileRead > this.settings.refreshS * 1000) this.keys = this.readFile();
      const { payload } = await jwtVerify(token, this.keys!, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        clockTolerance: this.settings.clockSkewS,
        requiredClaims: ['exp', 'iat'],
      });
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.settings.clockSkewS)
        throw invalidToken('issued in the future', 'its iat is in the future.');
      return payload;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && again && 'file' in this.settings.jwks && Date.now() - this.fileRead > JWKS_COOLDOWN_MS) {
        this.keys = this.readFile();
        return this.check(token, false);
      }
      throw refusalOf(error);
    }
  }

  /** Maskinporten: the organisation is the consumer's (`consumer.ID` "0192:{orgnr}"), also when a supplier acts for it; the write scope is required. */
  private maskinporten(payload: JWTPayload, token: string): Caller {
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    const wanted = this.settings.writeScope;
    if (wanted && !scopes.includes(wanted)) throw insufficientScope(`The token has not the scope ${wanted} that writing needs.`, wanted);
    const consumer = (payload.consumer as { ID?: unknown } | undefined)?.ID;
    const organisation = typeof consumer === 'string' ? /^0192:(\d{9})$/.exec(consumer)?.[1] : undefined;
    if (!organisation) throw invalidToken('no consumer', 'it names no consumer organisation (consumer.ID "0192:{orgnr}").');
    return { organisations: [organisation], admin: false, keyId: keyIdOf(token, payload) };
  }

  /** Felles datakatalog: `authorities` "organization:{orgnr}:admin|write" (a list or comma-separated), "system:root:admin" is admin. */
  private fdk(payload: JWTPayload, token: string): Caller {
    const raw = payload.authorities;
    const authorities = Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : typeof raw === 'string' ? raw.split(',') : [];
    const admin = authorities.some((a) => a.trim() === 'system:root:admin');
    const organisations = [
      ...new Set(authorities.flatMap((a) => /^organization:(\d{9}):(admin|write)$/.exec(a.trim())?.[1] ?? []).filter((o): o is string => o !== undefined)),
    ];
    if (!admin && organisations.length === 0) {
      throw insufficientScope('The token gives no organisation to write for (authorities "organization:{orgnr}:admin" or ":write").');
    }
    return { organisations, admin, keyId: keyIdOf(token, payload) };
  }
}

/** Who a token is, for rate limits and logs: its subject and issuer's client, not the whole token. */
function keyIdOf(token: string, payload: JWTPayload): string {
  const client = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.sub === 'string' ? payload.sub : token.slice(-16);
  return `jwt:${client.slice(0, 64)}`;
}

/** Whether jose could not read the issuer's keys (a timeout, an answer that is not a key set): the issuer is down, not the token bad. */
function issuerDown(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return false;
  if (!(error instanceof errors.JOSEError)) return !(error instanceof KatalogError);
  return error.code === 'ERR_JWKS_INVALID' || error.code === 'ERR_JOSE_GENERIC' || /JSON Web Key Set|Expected 200/i.test(error.message);
}

/** jose's refusals, named for the caller. */
function refusalOf(error: unknown): KatalogError {
  if (error instanceof KatalogError) return error;
  if (error instanceof errors.JWTExpired) return invalidToken('expired', 'it has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'aud') return invalidToken('wrong audience', 'it is not for this audience.');
    if (claim === 'iss') return invalidToken('wrong issuer', 'it is not from the configured issuer.');
    if (claim === 'nbf') return invalidToken('not yet valid', 'it is not valid yet (nbf).');
    if (claim === 'iat') return invalidToken('issued in the future', 'its iat is in the future.');
    return invalidToken(`bad claim ${claim}`, `its ${claim} claim is not valid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return invalidToken('algorithm not allowed', `only asymmetric algorithms are accepted (${ASYMMETRIC_ALGORITHMS.join(', ')}).`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return invalidToken('unknown key', 'it is signed with a key the issuer does not publish.');
  if (error instanceof errors.JWKSMultipleMatchingKeys) return invalidToken('unknown key', 'it names no key id (kid) and the issuer publishes several keys.');
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalidToken('bad signature', 'its signature does not verify.');
  // jose's own fetch of the key set fails with a generic error (an issuer answering 500, or HTML): the issuer is down, not the token bad.
  if (issuerDown(error)) return new KatalogError('store-unavailable', "The issuer's keys could not be read now: try again shortly.");
  return invalidToken('malformed', 'it is not a well-formed signed JWT.');
}
