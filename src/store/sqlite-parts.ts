import type Database from 'better-sqlite3';
import type { NodePart } from '../core/serialize/node-parts.js';

/**
 * The node parts of the SQLite store (docs/storage.md, Node parts): one row per record and node it
 * describes besides its root, with the spans of the run, its N-Triples and the record's sequence
 * number. Written by a record's write and by migration 3, the same way.
 */
export class NodePartsTable {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      clear: db.prepare('DELETE FROM node_parts WHERE n = ?'),
      add: db.prepare('INSERT INTO node_parts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  /** Record `n`'s parts as written at `seq`, replacing what it had; `nt` is the record's N-Triples. */
  replace(n: number, seq: number, nt: string, parts: readonly NodePart[]): void {
    this.remove(n);
    for (const p of parts) this.statements.add.run(n, p.node, p.hash, ...p.spans.nt, ...p.spans.ttl, ...p.spans.jsonld, nt.slice(...p.spans.nt), seq);
  }

  remove(n: number): void {
    this.statements.clear.run(n);
  }
}
