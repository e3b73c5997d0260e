import type { Quad, Term } from '@rdfjs/types';
import { Parser } from 'n3';
import { quadToNt, termKey } from '../rdf-terms.js';
import { writeJsonLdNodes } from './jsonld.js';
import { layOut } from './layout.js';
import { writeRdfXmlBody } from './rdfxml.js';
import { writeTurtleBody } from './turtle.js';

/**
 * The representations of one record that harvesters read most, computed once when the record is
 * written and stored with it, so that serving a catalogue is mostly concatenation:
 * - `nt`: N-Triples lines (also the canonical stored form of the record's graph);
 * - `ttl`: Turtle statements without prefixes (see TURTLE_PREFIXES);
 * - `jsonld`: compacted JSON-LD node objects, comma-separated, without brackets or `@context`.
 */
export interface Representations {
  nt: string;
  ttl: string;
  jsonld: string;
}

export type RepresentationName = keyof Representations;
export const REPRESENTATION_NAMES: readonly RepresentationName[] = ['nt', 'ttl', 'jsonld'];

export function renderRepresentations(quads: Quad[], root?: Term, shared: ReadonlySet<string> = new Set()): Representations {
  const layout = layOut(quads, root ? termKey(root) : undefined, shared);
  const nt = quads.map(quadToNt).join('');
  const ttl = writeTurtleBody(layout);
  const jsonld = writeJsonLdNodes(layout)
    .map((n) => JSON.stringify(n))
    .join(',\n');
  return { nt, ttl, jsonld };
}

/** The triples of stored N-Triples (trusted input: written by renderRepresentations). */
export function triplesOf(nt: string): Quad[] {
  return new Parser({ format: 'N-Triples', blankNodePrefix: '' }).parse(nt) as Quad[];
}

/**
 * The literals of some (subject, predicate) pairs in a record's N-Triples, each as its text and
 * language tag, in the order given: only the lines that name one of the predicates are parsed.
 */
export function literalsIn(nt: string, wanted: ReadonlyArray<{ subject: string; predicate: string }>): Array<Array<{ text: string; lang: string }>> {
  const predicates = [...new Set(wanted.map((w) => `<${w.predicate}>`))];
  const lines = nt.split('\n').filter((line) => predicates.some((p) => line.includes(p)));
  const found = wanted.map(() => [] as Array<{ text: string; lang: string }>);
  for (const q of triplesOf(lines.join('\n'))) {
    if (q.object.termType !== 'Literal') continue;
    wanted.forEach((w, i) => {
      if (q.subject.value === w.subject && q.predicate.value === w.predicate)
        found[i]!.push({ text: q.object.value, lang: (q.object as Term & { language: string }).language });
    });
  }
  return found;
}

/** RDF/XML is not stored: it is written from the stored N-Triples when asked for. */
export function rdfXmlOf(nt: string): string {
  return writeRdfXmlBody(triplesOf(nt));
}
