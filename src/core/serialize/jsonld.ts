import type { Quad, Term } from '@rdfjs/types';
import { CLASS_TERMS, PROPERTY_TERMS } from '../jsonld-context.js';
import { RDF_TYPE, splitKnown } from '../namespaces.js';
import { isPlainString, termKey } from '../rdf-terms.js';
import { type Layout, layOut } from './layout.js';

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

/**
 * The same triples as node objects with every node at the top level and none embedded (the
 * flattened form, compacted with the context): blank nodes are referred to by label.
 */
export function writeFlattenedNodes(quads: Quad[]): NodeObject[] {
  const layout = layOut(quads);
  return writeJsonLdNodes({ subjects: layout.subjects, inline: new Set(), topLevel: [...layout.subjects.keys()] });
}

/** One literal or reference in expanded form. */
function expandedValue(o: Term): Record<string, string> {
  if (o.termType === 'Literal') {
    if (o.language) return { '@value': o.value, '@language': o.language };
    return isPlainString(o) ? { '@value': o.value } : { '@value': o.value, '@type': o.datatype.value };
  }
  return { '@id': o.termType === 'BlankNode' ? '_:' + o.value : o.value };
}

/**
 * The triples as expanded JSON-LD node objects (no context: full IRIs, every value an object in an
 * array), one per subject at the top level. Guarantees: read by any JSON-LD processor, exactly the
 * input triples.
 */
export function writeExpandedNodes(quads: Quad[]): NodeObject[] {
  const nodes = new Map<string, NodeObject>();
  for (const q of quads) {
    const id = q.subject.termType === 'BlankNode' ? '_:' + q.subject.value : q.subject.value;
    let node = nodes.get(id);
    if (!node) nodes.set(id, (node = { '@id': id }));
    const isType = q.predicate.value === RDF_TYPE && q.object.termType !== 'Literal';
    const key = isType ? '@type' : q.predicate.value;
    const value = isType ? (q.object.termType === 'BlankNode' ? '_:' + q.object.value : q.object.value) : expandedValue(q.object);
    const list = (node[key] as unknown[] | undefined) ?? (node[key] = []);
    (list as unknown[]).push(value);
  }
  return [...nodes.values()];
}
