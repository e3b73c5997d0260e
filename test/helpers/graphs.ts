import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import type { FormatId } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';
import { toTriples } from '../../src/core/records.js';

const { quad, literal } = DataFactory;
const NUMERIC = new Set(['double', 'float'].map((t) => 'http://www.w3.org/2001/XMLSchema#' + t));

/**
 * jsonld.js writes xsd:double literals in canonical form ("0.02" comes back as "2.0E-2"), so graphs
 * are compared with such literals reduced to their numeric value. Everything else must match exactly.
 */
function canonical(quads: Quad[]): Quad[] {
  return toTriples(quads).map((q) =>
    q.object.termType === 'Literal' && NUMERIC.has(q.object.datatype.value) && !Number.isNaN(Number(q.object.value))
      ? quad(q.subject, q.predicate, literal(String(Number(q.object.value)), q.object.datatype))
      : q,
  );
}

/** True when the two graphs are isomorphic (blank nodes matched by structure, duplicates ignored). */
export function sameGraph(a: Quad[], b: Quad[]): boolean {
  return isomorphic(canonical(a), canonical(b));
}

export const TEST_BASE = 'http://katalog.test';
export const TEST_CONTEXT_URL = `${TEST_BASE}/context.jsonld`;

/** Parses a response body back with the libraries (n3, jsonld.js, rdfxml-streaming-parser). */
export async function parseBack(text: string, format: FormatId, contextUrl = TEST_CONTEXT_URL): Promise<Quad[]> {
  return toTriples(await parseRdf(text, format, { baseIRI: 'http://example.com/', knownContexts: { [contextUrl]: CONTEXT_DOCUMENT } }));
}
