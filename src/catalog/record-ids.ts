import { createHash } from 'node:crypto';
import type { KindInfo } from '../core/kinds.js';

const URL_ID = /^[A-Za-z0-9._~-]+$/;
/** The ids of IRIs elsewhere: the first 16 hex digits of the IRI's SHA-256. */
const HASH_ID = /^[0-9a-f]{16}$/;

/** Whether an id is of the form given to IRIs outside PUBLIC_BASE_URL (never to one inside it). */
export function isHashId(id: string): boolean {
  return HASH_ID.test(id);
}

/**
 * The id a record is served under, /{segment}/{id}. A record whose IRI is PUBLIC_BASE_URL/{segment}/{id}
 * keeps that id, so the IRI dereferences; any other IRI gets the first 16 hex digits of its SHA-256.
 * An IRI under PUBLIC_BASE_URL whose id would look like such a hash gets the hash of its own IRI
 * too, so that no record can take the id another IRI hashes to.
 */
export function recordId(iri: string, kind: KindInfo, baseUrl: string): string {
  const prefix = `${baseUrl}/${kind.segment}/`;
  if (iri.startsWith(prefix)) {
    const rest = iri.slice(prefix.length);
    if (URL_ID.test(rest) && !isHashId(rest)) return rest;
  }
  return createHash('sha256').update(iri).digest('hex').slice(0, 16);
}

/** The URL a record is served at. */
/** Katalog's own URLs as paths (links within its pages); any other IRI as it is. */
export function localPath(baseUrl: string): (iri: string) => string {
  return (iri) => (iri.startsWith(`${baseUrl}/`) ? iri.slice(baseUrl.length) : iri);
}

export function recordUrl(kind: KindInfo, id: string, baseUrl: string): string {
  return `${baseUrl}/${kind.segment}/${id}`;
}

/** A UUID (version 4 layout) derived from a seed, so that loading the same file twice mints the same IRIs. */
export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
