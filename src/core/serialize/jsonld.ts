import type { Term } from '@rdfjs/types';
import { CLASS_TERMS, PROPERTY_TERMS } from '../jsonld-context.js';
import { RDF_TYPE, splitKnown } from '../namespaces.js';
import { isPlainString, termKey } from '../rdf-terms.js';
import type { Layout } from './layout.js';

type JsonValue = string | Record<string, unknown>;
type NodeObject = Record<string, unknown>;

function compactIri(value: string): string {
  const known = splitKnown(value);
  return known && known.local !== '' ? `${known.prefix}:${known.local}` : value;
}

function typeValue(value: string): string {
  return CLASS_TERMS.get(value) ?? compactIri(value);
}

function literalValue(t: Term & { termType: 'Literal' }): JsonValue {
  if (t.language) return { '@value': t.value, '@language': t.language };
  if (isPlainString(t)) return t.value;
  return { '@value': t.value, '@type': compactIri(t.datatype.value) };
}

/**
 * Writes the triples of a layout as compacted JSON-LD node objects for the context in
 * jsonld-context.ts (the caller adds `@context`). Guarantees: expanded with that context, the node
 * objects give exactly the input triples; inlined blank nodes are embedded without `@id`.
 */
export function writeJsonLdNodes(layout: Layout): NodeObject[] {
  const node = (key: string, embedded: boolean): NodeObject => {
    const subject = layout.subjects.get(key)!;
    const out: NodeObject = {};
    if (!embedded) out.id = subject.term.termType === 'BlankNode' ? '_:' + subject.term.value : subject.term.value;
    const add = (k: string, v: unknown) => {
      const existing = out[k];
      if (existing === undefined) out[k] = v;
      else if (Array.isArray(existing)) existing.push(v);
      else out[k] = [existing, v];
    };
    for (const { predicate, objects } of subject.predicates.values()) {
      // `type` takes references only: a blank node written inline (used once, with triples of its
      // own) is written under rdf:type as a property, like any other value.
      if (predicate.value === RDF_TYPE && objects.every((o) => o.termType !== 'Literal' && !layout.inline.has(termKey(o)))) {
        for (const o of objects) add('type', o.termType === 'BlankNode' ? '_:' + o.value : typeValue(o.value));
        continue;
      }
      const term = PROPERTY_TERMS.get(predicate.value);
      const compact = compactIri(predicate.value);
      for (const o of objects) {
        const k = termKey(o);
        if (o.termType === 'Literal') {
          add(term && !term.iri ? term.term : compact, literalValue(o));
        } else if (layout.inline.has(k)) {
          add(term ? term.term : compact, node(k, true));
        } else {
          const ref = o.termType === 'BlankNode' ? '_:' + o.value : o.value;
          if (term?.iri) add(term.term, ref);
          else add(term ? term.term : compact, { '@id': ref });
        }
      }
    }
    return out;
  };
  return layout.topLevel.map((key) => node(key, false));
}
