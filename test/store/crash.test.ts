import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { triplesOf } from '../../src/core/serialize/representations.js';
import { TURTLE_PREFIXES } from '../../src/core/serialize/turtle.js';
import { PgStore } from '../../src/store/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { sameGraph } from '../helpers/graphs.js';
import { freshSchema, NO_POSTGRES, POSTGRES } from '../helpers/postgres.js';

/**
 * Starts the writer, lets it write for `ms` after its first acknowledged write (the first write of a
 * fresh process takes a while: connections, compiled code), kills it with SIGKILL; returns its acks.
 */
function writeThenKill(file: string, prefix: string, ms: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, 'crash', 'writer.ts'), file, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^ack (\S+) (\d+)$/.exec(line);
        if (m && acked.size === 0) setTimeout(() => child.kill('SIGKILL'), ms);
        if (m) acked.set(m[1]!, Number(m[2]));
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

/** Every acknowledged write is there (at its sequence number or later), and every record is whole. */
async function expectWhole(store: Store, acked: Map<string, number>): Promise<void> {
  for (const [iri, seq] of acked) {
    const record = await store.getByIri(iri);
    expect(record, iri).toBeDefined();
    expect(record!.seq, iri).toBeGreaterThanOrEqual(seq);
  }
  for await (const record of store.scan()) {
    const graph = triplesOf(record.nt);
    expect(graph.length).toBeGreaterThan(0);
    expect(sameGraph(new Parser().parse(TURTLE_PREFIXES + record.ttl), graph), record.iri).toBe(true);
    expect(() => JSON.parse(`[${record.jsonld}]`)).not.toThrow();
  }
}

describe.skipIf(NO_POSTGRES)(`${POSTGRES}: a crash at any moment`, () => {
  it('loses no acknowledged write of two writer processes killed at once, and leaves no half-written record', async () => {
    const { url, drop } = await freshSchema();
    try {
      await (await PgStore.open(url)).close(); // migrated once, before the writers race
      const ms = 200 + Math.random() * 500;
      const [first, second] = await Promise.all([writeThenKill(url, 'pa', ms), writeThenKill(url, 'pb', ms)]);
      const store = await PgStore.open(url);
      try {
        await expectWhole(store, new Map([...first, ...second]));
        // Sequence numbers are unique across both writers.
        const changes = await store.changes(0, 1_000_000);
        expect(new Set(changes.map((c) => c.seq)).size).toBe(changes.length);
      } finally {
        await store.close();
      }
      expect(first.size + second.size).toBeGreaterThan(0);
    } finally {
      await drop();
    }
  }, 60_000);
});

describe('a crash at any moment', () => {
  it('loses no acknowledged write and leaves no half-written record (SIGKILL, then reopen)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-crash-'));
    const file = join(dir, 'katalog.db');
    try {
      let total = 0;
      for (const [round, ms] of [
        [1, 250 + Math.random() * 500],
        [2, 100 + Math.random() * 300],
      ] as const) {
        const acked = await writeThenKill(file, `r${round}`, ms);
        total += acked.size;
        const integrity = new Database(file, { readonly: true });
        expect(integrity.pragma('integrity_check', { simple: true })).toBe('ok');
        integrity.close();
        const store = new SqliteStore(file);
        await expectWhole(store, acked);
        await store.close();
      }
      expect(total).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
