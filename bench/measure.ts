import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import jsonld from 'jsonld';
import { Writer } from 'n3';
import { CONTEXT, CONTEXT_DOCUMENT } from '../src/core/jsonld-context.js';
import { projectFile } from '../src/project-files.js';
import { generateCatalogues } from './generate.js';

/** What every benchmark reports: one row of the table, a ratio against a reference measured in the same run. */
export interface Row {
  benchmark: string;
  ours: string;
  reference: string;
  ratio: number;
  target?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function time(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/** The library references for serialising a graph: n3's Writer (Turtle, N-Triples). */
export function n3Serialise(quads: Quad[], format: 'Turtle' | 'N-Triples'): string {
  return new Writer({ format, prefixes: { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/' } }).quadsToString(quads);
}

/** ... and jsonld.js: fromRDF, then compact with our context (served to it from memory). */
export async function jsonldCompact(quads: Quad[]): Promise<unknown> {
  const expanded = await jsonld.fromRDF(quads as never);
  const documentLoader = async (url: string) => ({ documentUrl: url, document: CONTEXT_DOCUMENT, contextUrl: undefined });
  return jsonld.compact(expanded, { '@context': CONTEXT } as never, { documentLoader } as never);
}

/**
 * The generated catalogue (`datasets` datasets of 50 organisations, one file each) written to
 * `dir`/data and loaded with `katalog load` from dist/ into `dir`/katalog.db: the database file and
 * the seconds the load took, validation and indexing included.
 */
export function loadGenerated(dir: string, datasets: number): { db: string; loadSeconds: number } {
  if (!existsSync(projectFile('dist', 'src', 'main.js'))) throw new Error('run npm run build first');
  const data = join(dir, 'data');
  mkdirSync(data);
  for (const { organisation, turtle } of generateCatalogues(datasets, 50)) writeFileSync(join(data, `org-${organisation}.ttl`), turtle);
  const db = join(dir, 'katalog.db');
  const start = performance.now();
  execFileSync(process.execPath, [projectFile('dist', 'src', 'main.js'), 'load', data], { env: { ...process.env, KATALOG_DB: db }, stdio: 'ignore' });
  return { db, loadSeconds: (performance.now() - start) / 1000 };
}
