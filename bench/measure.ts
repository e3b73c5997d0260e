import type { Quad } from '@rdfjs/types';
import jsonld from 'jsonld';
import { Writer } from 'n3';
import { CONTEXT, CONTEXT_DOCUMENT } from '../src/core/jsonld-context.js';

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
