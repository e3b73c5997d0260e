import { createHash } from 'node:crypto';
import { KatalogError } from '../core/errors.js';
import type { NodePart } from '../core/serialize/node-parts.js';
import type { WriteOptions } from './store.js';

/** What every store does the same way with a record's bookkeeping (docs/storage.md). */

/** Node parts read back as a JSON array of [node, hash, nt from, nt to, ttl from, ttl to, jsonld from, jsonld to]. */
export function toParts(json: string): NodePart[] {
  return (JSON.parse(json) as Array<[string, string, number, number, number, number, number, number]>).map(([node, hash, a, b, c, d, e, f]) => ({
    node,
    hash,
    spans: { nt: [a, b], ttl: [c, d], jsonld: [e, f] },
  }));
}

/** Refuses a write whose preconditions (WriteOptions) the stored version does not meet. */
export function checkPreconditions(iri: string, version: string | undefined, options: WriteOptions): void {
  if (options.ifAbsent && version !== undefined) {
    throw new KatalogError('precondition-failed', `<${iri}> already exists.`);
  }
  if (options.ifExists && version === undefined) {
    throw new KatalogError('precondition-failed', `<${iri}> does not exist.`);
  }
  const allowed = options.ifVersion === undefined ? undefined : [options.ifVersion].flat();
  if (allowed && (version === undefined || !allowed.includes(version))) {
    throw new KatalogError('precondition-failed', `<${iri}> has changed: its version is no longer ${allowed.join(' or ')}.`);
  }
}

/** A version: the change number and a hash of the N-Triples (the ETag's core). */
export function versionOf(seq: number, nt: string): string {
  return seq.toString(36) + '-' + createHash('sha256').update(nt).digest('hex').slice(0, 12);
}
