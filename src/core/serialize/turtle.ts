import type { Term } from '@rdfjs/types';
import { PREFIXES, RDF_TYPE, splitKnown } from '../namespaces.js';
import { escapeIri, escapeString, isPlainString, termKey, termToNt } from '../rdf-terms.js';
import type { Layout } from './layout.js';

/** The @prefix lines every Turtle and TriG document starts with, written once per document. */
export const TURTLE_PREFIXES = Object.entries(PREFIXES)
  .map(([prefix, ns]) => `@prefix ${prefix}: <${ns}> .\n`)
  .join('');

function iri(value: string): string {
  const known = splitKnown(value);
  return known ? `${known.prefix}:${known.local}` : `<${escapeIri(value)}>`;
}

function term(t: Term): string {
  if (t.termType === 'NamedNode') return iri(t.value);
  if (t.termType === 'Literal') {
    const text = '"' + escapeString(t.value) + '"';
    if (t.language) return text + '@' + t.language;
    return isPlainString(t) ? text : text + '^^' + iri(t.datatype.value);
  }
  return termToNt(t);
}

/**
 * Writes the triples of a layout as Turtle statements without prefixes (so that the statements of
 * many records can follow one prefix block). Guarantees: parsed with TURTLE_PREFIXES in front, the
 * result is exactly the input triples; each subject is one statement; inlined blank nodes are
 * written as nested [ ] blocks.
 */
export function writeTurtleBody(layout: Layout): string {
  let out = '';
  const writeSubject = (key: string, indent: string): string => {
    const node = layout.subjects.get(key)!;
    const lines: string[] = [];
    for (const { predicate, objects } of node.predicates.values()) {
      const p = predicate.value === RDF_TYPE ? 'a' : iri(predicate.value);
      const values = objects.map((o) => {
        const k = termKey(o);
        return layout.inline.has(k) ? '[\n' + writeSubject(k, indent + '    ') + '\n' + indent + ']' : term(o);
      });
      lines.push(indent + p + ' ' + values.join(', '));
    }
    return lines.join(' ;\n');
  };
  for (const key of layout.topLevel) {
    const node = layout.subjects.get(key)!;
    out += term(node.term) + '\n' + writeSubject(key, '    ') + ' .\n\n';
  }
  return out;
}
