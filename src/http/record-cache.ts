import { LRUCache } from 'lru-cache';
import type { CacheCounts } from './metrics.js';

/** One record rendered in one syntax: the bytes sent, and what they were rendered from. */
export interface RenderedRecord {
  version: string;
  modified: string;
  body: Buffer;
  /** The store's change mark when the version was last known to be current. */
  mark: string;
  /** A document that never changes (a full feed page): used whatever the mark. */
  final?: boolean;
}

/**
 * Single-record responses and search pages as sent (whole documents, bytes), kept in memory for
 * those asked for most, up to a total size (bodies and keys). An entry is used without asking the store while the store's change
 * mark is the one it was stamped with (nothing was written since, by any process); otherwise only
 * when the stored version is still the entry's. A write is never answered with stale bytes.
 *
 * `counts` hears of a hit whenever an entry is used, and of a miss whenever an answer rendered anew
 * is kept (`set`): a lookup that `unchanged` misses but `atVersion` answers is one hit, not a miss.
 */
export class RecordCache {
  private readonly lru: LRUCache<string, RenderedRecord>;

  constructor(
    maxBytes: number,
    private readonly counts?: CacheCounts,
  ) {
    // A key counts too: a search's is its URL, which may be several kilobytes beside a small page.
    this.lru = new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry, key) => entry.body.length + key.length });
  }

  /** The entry, when nothing has been written since it was known to be current (or it never changes). */
  unchanged(key: string, mark: string): RenderedRecord | undefined {
    const entry = this.lru.get(key);
    if (!entry || (entry.mark !== mark && !entry.final)) return undefined;
    this.counts?.hit();
    return entry;
  }

  /** The entry, when it was rendered from `version`; stamped with `mark` for the next requests. */
  atVersion(key: string, version: string, mark: string): RenderedRecord | undefined {
    const entry = this.lru.get(key);
    if (entry?.version !== version) return undefined;
    entry.mark = mark;
    this.counts?.hit();
    return entry;
  }

  set(key: string, entry: RenderedRecord): void {
    this.counts?.miss();
    this.lru.set(key, entry);
  }
}
