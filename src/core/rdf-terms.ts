import type { Quad, Term } from '@rdfjs/types';
import { RDF, XSD } from './namespaces.js';

/**
 * N-Triples spellings of terms. They are also the keys by which the core indexes terms, since two
 * terms are equal exactly when their N-Triples spellings are.
 */
const XSD_STRING = XSD('string');
const RDF_LANG_STRING = RDF('langString');

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** Escapes a string for a double-quoted N-Triples/Turtle literal. */
export function escapeString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/["\\\n\r\t\b\f]|[\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Escapes an IRI for <...>; characters not allowed there become \u escapes. */
// eslint-disable-next-line no-control-regex
const IRI_UNSAFE = /[\u0000-\u0020<>"{}|^`\\]/;
// eslint-disable-next-line no-control-regex
const IRI_UNSAFE_ALL = /[\u0000-\u0020<>"{}|^`\\]/g;

export function escapeIri(iri: string): string {
  if (!IRI_UNSAFE.test(iri)) return iri;
  return iri.replace(IRI_UNSAFE_ALL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function literalSuffix(term: { language: string; datatype: { value: string } }): string {
  if (term.language) return '@' + term.language;
  if (term.datatype.value === XSD_STRING || term.datatype.value === RDF_LANG_STRING) return '';
  return '^^<' + escapeIri(term.datatype.value) + '>';
}

export function termToNt(term: Term): string {
  switch (term.termType) {
    case 'NamedNode':
      return '<' + escapeIri(term.value) + '>';
    case 'BlankNode':
      return '_:' + term.value;
    case 'Literal':
      return '"' + escapeString(term.value) + '"' + literalSuffix(term);
    case 'DefaultGraph':
      return '';
    default:
      throw new Error(`cannot write a ${term.termType} term`);
  }
}

/**
 * A cheap key for a term: equal exactly when the terms are equal. n3's terms carry such an id
 * already (`http://x`, `_:b0`, `"v"@nb`, `"v"^^dt`, with xsd:string left out); other factories'
 * terms get the same form. Used to index graphs; never written out.
 */
export function termKey(term: Term): string {
  const id = (term as { id?: unknown }).id;
  if (typeof id === 'string') return id;
  switch (term.termType) {
    case 'NamedNode':
      return term.value;
    case 'BlankNode':
      return '_:' + term.value;
    case 'Literal':
      return '"' + term.value + '"' + (term.language ? '@' + term.language : term.datatype.value === XSD_STRING ? '' : '^^' + term.datatype.value);
    default:
      return '';
  }
}

/** How reports name a node: its IRI, or `_:label` for a blank node. */
export function nodeLabel(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

/** One N-Triples line (default graph only: graph names are dropped). */
export function quadToNt(quad: Quad): string {
  return `${termToNt(quad.subject)} ${termToNt(quad.predicate)} ${termToNt(quad.object)} .\n`;
}

export function isPlainString(term: Term): boolean {
  return term.termType === 'Literal' && !term.language && term.datatype.value === XSD_STRING;
}

/** The triples of each subject, by the subject's key, in order of appearance. */
export function groupBySubject(quads: Quad[]): Map<string, Quad[]> {
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = termKey(q.subject);
    const list = bySubject.get(key);
    if (list) list.push(q);
    else bySubject.set(key, [q]);
  }
  return bySubject;
}
