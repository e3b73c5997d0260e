import { createHash, randomBytes } from 'node:crypto';
import { KatalogError } from '../core/errors.js';
import type { ApiKeyRecord, Store } from '../store/store.js';

/** Who is writing: the organisation a credential speaks for, and whether it may write for any. */
export interface Caller {
  organisation: string;
  admin: boolean;
  /** The key's public id (for logs and rate limits). */
  keyId: string;
}

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
 * The caller a request's credential names: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
 * Throws unauthorized (401) when there is none, or it is unknown or revoked.
 */
export async function authenticate(store: Store, headers: Record<string, string | string[] | undefined>): Promise<Caller> {
  const authorization = typeof headers.authorization === 'string' ? headers.authorization : undefined;
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const key = bearer ?? (typeof headers['x-api-key'] === 'string' ? headers['x-api-key'].trim() : undefined);
  if (!key) {
    throw new KatalogError('unauthorized', 'Writing needs a credential: send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
  }
  const record = await store.findApiKey(hashKey(key));
  if (!record) throw new KatalogError('unauthorized', 'The API key is not known, or it has been revoked.');
  return { organisation: record.organisation, admin: record.admin, keyId: record.id };
}
