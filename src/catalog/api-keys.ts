import { createHash, randomBytes } from 'node:crypto';
import { KatalogError } from '../core/errors.js';
import type { ApiKeyRecord, Store } from '../store/store.js';
import { looksLikeJwt, type TokenVerifier } from './tokens.js';

/**
 * Who is writing: the organisations a credential speaks for (an API key one; a Felles datakatalog
 * token may name several), and whether it may write for any.
 */
export interface Caller {
  organisations: readonly string[];
  admin: boolean;
  /** The credential's public id (for logs and rate limits): a key's id, or `jwt:` and the token's client. */
  keyId: string;
}

/** The organisations a caller writes for, as messages name them. */
export const callerOrganisations = (caller: Caller) => caller.organisations.join(', ') || 'none';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Makes a new key for an organisation: 32 random bytes, base64url, prefixed `kat_`. Only its hash is
 * stored; the key is returned once, to be shown to whoever asked for it.
 */
export async function createApiKey(store: Store, organisation: string, options: { admin?: boolean; label?: string } = {}) {
  if (!/^\d{9}$/.test(organisation)) throw new KatalogError('invalid-request', `An organisation number has nine digits; got ${organisation}.`);
  const key = 'kat_' + randomBytes(32).toString('base64url');
  const hash = hashKey(key);
  const record: ApiKeyRecord = {
    id: hash.slice(0, 12),
    hash,
    organisation,
    admin: options.admin ?? false,
    ...(options.label ? { label: options.label } : {}),
    created: new Date().toISOString(),
  };
  await store.addApiKey(record);
  return { key, record };
}

/**
 * The caller a request's credential names: `Authorization: Bearer <key or JWT>` or `X-API-Key: <key>`.
 * A JWT is verified by `tokens` (catalog/tokens.ts) when the server takes them. Throws unauthorized
 * (401) when there is none, or it is unknown, revoked or not valid.
 */
export async function authenticate(store: Store, headers: Record<string, string | string[] | undefined>, tokens?: TokenVerifier): Promise<Caller> {
  const authorization = typeof headers.authorization === 'string' ? headers.authorization : undefined;
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const key = bearer ?? (typeof headers['x-api-key'] === 'string' ? headers['x-api-key'].trim() : undefined);
  if (!key) {
    throw new KatalogError(
      'unauthorized',
      'Writing needs a credential: send your API key or token as "Authorization: Bearer <credential>" (or a key as "X-API-Key: <key>").',
      {
        wwwAuthenticate: 'Bearer',
      },
    );
  }
  if (bearer && looksLikeJwt(bearer)) {
    if (!tokens)
      throw new KatalogError('unauthorized', 'This server takes no tokens (JWT_ISSUER is not set): write with an API key.', { wwwAuthenticate: 'Bearer' });
    return tokens.verify(bearer);
  }
  const record = await store.findApiKey(hashKey(key));
  if (!record) throw new KatalogError('unauthorized', 'The API key is not known, or it has been revoked.', { wwwAuthenticate: 'Bearer error="invalid_token"' });
  return { organisations: [record.organisation], admin: record.admin, keyId: record.id };
}
