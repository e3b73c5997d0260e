import { LRUCache } from 'lru-cache';

/**
 * Single-record responses as sent (whole documents, bytes), kept in memory for the records asked
 * for most, up to a total size. An entry holds the record version it was rendered from; the route
 * reads the stored version first (one indexed column read) and uses the entry only when it is the
 * same, so a write through any process is never answered with stale bytes.
 */
export class RecordCache {
  private readonly lru: LRUCache<string, { version: string; body: Buffer }>;

  constructor(maxBytes: number) {
    this.lru = new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry) => Math.max(1, entry.body.length) });
  }

  get(key: string, version: string): Buffer | undefined {
    const entry = this.lru.get(key);
    return entry?.version === version ? entry.body : undefined;
  }

  set(key: string, version: string, body: Buffer): void {
    this.lru.set(key, { version, body });
  }

  get size(): number {
    return this.lru.calculatedSize;
  }
}
