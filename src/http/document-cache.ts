import { closeSync, createReadStream, createWriteStream, existsSync, fstatSync, mkdirSync, openSync, read, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { CacheCounts } from './metrics.js';

const readAt = promisify(read);

/**
 * Whole documents (a catalogue in one syntax at one change sequence number) kept as files, so that
 * the next harvest of an unchanged catalogue is a file copied to the socket. A document is written
 * to a temporary file while it is first served and renamed into place only when complete; a write
 * to the store changes the sequence number in the key, so a cached document is never served stale.
 * Older documents of the same resource and syntax are removed when a new one is complete.
 */
export class DocumentCache {
  /** Starts empty: documents of an earlier process may describe another database. `counts` hears of every `open`. */
  constructor(
    private readonly dir: string,
    private readonly counts?: CacheCounts,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  private fileOf(key: string): string {
    return join(this.dir, encodeURIComponent(key));
  }

  /** The cached document for `resource` in one syntax (e.g. "catalog.ttl") at `tag`, opened, or undefined. */
  open(resource: string, tag: string): CachedDocument | undefined {
    let fd: number;
    try {
      // Opened now: a newer document may replace the file at any moment, and an open file stays readable.
      fd = openSync(this.fileOf(`${resource}@${tag}`), 'r');
    } catch {
      this.counts?.miss();
      return undefined;
    }
    try {
      const document = new CachedDocument(fd, fstatSync(fd).size);
      this.counts?.hit();
      return document;
    } catch {
      closeSync(fd);
      this.counts?.miss();
      return undefined;
    }
  }

  /**
   * Serves `source` and writes it to the cache as it goes. What the client gets is the returned
   * stream; if either side fails or the client goes away, the partial file is removed.
   */
  fill(resource: string, tag: string, source: Readable): Readable {
    const final = this.fileOf(`${resource}@${tag}`);
    const temporary = `${final}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    const toClient = new PassThrough();
    const toFile = new PassThrough();
    let caching = true;
    // Back-pressure from both sides: the source waits until every side it wrote to has drained.
    const waitingFor = new Set<PassThrough>();
    const drained = (side: PassThrough) => {
      waitingFor.delete(side);
      if (waitingFor.size === 0) source.resume();
    };
    source.on('data', (chunk: Buffer) => {
      for (const side of caching ? [toClient, toFile] : [toClient]) {
        if (!side.write(chunk) && !waitingFor.has(side)) {
          waitingFor.add(side);
          side.once('drain', () => drained(side));
        }
      }
      if (waitingFor.size > 0) source.pause();
    });
    source.once('end', () => {
      toClient.end();
      if (caching) toFile.end();
    });
    const abandon = () => {
      source.destroy();
      toFile.destroy();
    };
    source.once('error', (error) => toClient.destroy(error));
    toClient.once('close', () => {
      if (!toClient.writableFinished) abandon();
    });
    // Caching is best effort: a file that cannot be completed (the folder went away, the disk is
    // full) is dropped, and the client's response goes on without it.
    const stopCaching = () => {
      caching = false;
      toFile.removeAllListeners('drain');
      if (waitingFor.has(toFile)) drained(toFile);
    };
    pipeline(toFile, createWriteStream(temporary))
      .then(() => {
        if (!source.readableEnded) throw new Error('incomplete');
        renameSync(temporary, final);
        this.prune(resource, final);
      })
      .catch(() => {
        stopCaching();
        try {
          rmSync(temporary, { force: true });
        } catch {
          // the cache folder itself is gone: nothing is left to clean
        }
      });
    return toClient;
  }

  private prune(resource: string, keep: string): void {
    const prefix = encodeURIComponent(`${resource}@`);
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (name.startsWith(prefix) && !name.endsWith('.part') && path !== keep) rmSync(path, { force: true });
    }
  }
}

/**
 * Chunks a cached document is written to the socket in, and how many one response has in flight
 * (2 MiB per response). Measured on a 164 MB catalogue with wrk: 256 KiB chunks reach about 0.8 of
 * nginx, 1 MiB about 1.0 (README, Benchmarks).
 */
export const CHUNK = 1024 * 1024;
export const IN_FLIGHT = 2;

/**
 * A cached document, open: sent either as a stream (through Fastify's hooks, when compression
 * applies) or written straight to the socket with a few reused buffers. The second allocates nothing
 * per chunk: at a gigabyte a second, a new buffer per chunk is external memory that makes V8 collect
 * garbage many times a second once the heap is small, and a third of the throughput is lost
 * (docs/design.md, Performance targets).
 */
export class CachedDocument {
  private closed = false;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** The document as a stream (which closes the file at its end). */
  stream(): Readable {
    this.closed = true;
    return createReadStream('', { fd: this.fd, highWaterMark: CHUNK });
  }

  /** Closes the file without sending it (a HEAD). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /**
   * Writes the document to `out` and ends it, reading the next chunk into a buffer only once the
   * socket has taken an earlier one (back-pressure: at most IN_FLIGHT chunks of at most CHUNK bytes
   * are held, no more than the document's size). Resolves with how it ended: 'done', 'gone' (the
   * client went away) or the read error (`out` is then destroyed); the file is closed either way.
   */
  async writeTo(out: Writable): Promise<'done' | 'gone' | Error> {
    const size = Math.max(1, Math.min(CHUNK, this.size));
    const free: Buffer[] = [];
    let allocated = 0;
    let wake: (() => void) | undefined;
    const woken = () => {
      wake?.();
      wake = undefined;
    };
    out.once('close', woken);
    try {
      for (let position = 0; position < this.size;) {
        if (free.length === 0 && allocated < IN_FLIGHT) {
          free.push(Buffer.allocUnsafeSlow(size));
          allocated++;
        }
        while (free.length === 0 && !out.destroyed) await new Promise<void>((resolve) => (wake = resolve));
        if (out.destroyed) return 'gone';
        const buffer = free.pop()!;
        const { bytesRead } = await readAt(this.fd, buffer, 0, size, position);
        if (bytesRead === 0) throw new Error('the cached document is shorter than it was');
        position += bytesRead;
        out.write(bytesRead === size ? buffer : buffer.subarray(0, bytesRead), () => {
          free.push(buffer);
          woken();
        });
      }
      out.end();
      return 'done';
    } catch (error) {
      out.destroy(error as Error);
      return error as Error;
    } finally {
      out.off('close', woken);
      this.close();
    }
  }
}

/**
 * Removes the cache folders under `parent` (one per process, named by its pid) whose process is
 * gone, and files of the one-folder layout from before: a process starting clears what no live
 * process can still be serving.
 */
export function removeStaleCaches(parent: string): void {
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const pid = entry.isDirectory() && /^\d+$/.test(entry.name) ? Number(entry.name) : undefined;
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(parent, entry.name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
