import type { Quad, Term } from '@rdfjs/types';
import { RDF_TYPE } from '../namespaces.js';
import { termKey } from '../rdf-terms.js';

/** A subject with its predicates in order of appearance (rdf:type first) and their objects. */
export interface SubjectNode {
  term: Term;
  predicates: Map<string, { predicate: Term; objects: Term[] }>;
}

/**
 * How a set of triples is laid out as a tree: which subjects are written at the top level (root
 * first) and which blank nodes are written inline, nested where they are used. A blank node is
 * inlined only if it is used exactly once as an object in these triples and is not shared with
 * another record (`shared`), so an inlined node never needs a label. Cycles of such nodes are
 * broken by lifting one of them to the top level, so every triple is written exactly once.
 */
export interface Layout {
  subjects: Map<string, SubjectNode>;
  topLevel: string[];
  inline: Set<string>;
}

/** Deepest nesting of blank nodes written inline (see claim in layOut). */
export const MAX_NESTING = 32;

export function layOut(quads: Quad[], rootKey?: string, shared: ReadonlySet<string> = new Set()): Layout {
  const subjects = new Map<string, SubjectNode>();
  const seen = new Set<string>();
  const uses = new Map<string, number>();
  for (const q of quads) {
    const s = termKey(q.subject);
    const p = q.predicate.value;
    const o = termKey(q.object);
    const key = s + '\u0000' + p + '\u0000' + o;
    if (seen.has(key)) continue;
    seen.add(key);
    let node = subjects.get(s);
    if (!node) subjects.set(s, (node = { term: q.subject, predicates: new Map() }));
    let entry = node.predicates.get(p);
    if (!entry) {
      entry = { predicate: q.predicate, objects: [] };
      if (q.predicate.value === RDF_TYPE) node.predicates = new Map([[p, entry], ...node.predicates]);
      else node.predicates.set(p, entry);
    }
    entry.objects.push(q.object);
    if (q.object.termType === 'BlankNode') uses.set(o, (uses.get(o) ?? 0) + 1);
  }
  const nestable = (key: string) => key.startsWith('_:') && uses.get(key) === 1 && subjects.has(key) && !shared.has(key.slice(2)) && key !== rootKey;

  const order = [...subjects.keys()];
  if (rootKey && subjects.has(rootKey)) order.sort((a, b) => (a === rootKey ? -1 : b === rootKey ? 1 : 0));
  const topLevel = order.filter((key) => !nestable(key));
  const placed = new Set(topLevel);
  const inline = new Set<string>();
  /**
   * Nests the nestable blank nodes below `start`, depth first without recursion. A node deeper
   * than MAX_NESTING is left for the top level (written with its label), so that the writers,
   * which nest by recursion, never go deeper than that whatever the input.
   */
  const claim = (start: string) => {
    const stack: Array<[string, number]> = [[start, 0]];
    while (stack.length > 0) {
      const [key, depth] = stack.pop()!;
      if (depth >= MAX_NESTING) continue;
      for (const { objects } of subjects.get(key)!.predicates.values()) {
        for (const object of objects) {
          const o = termKey(object);
          if (nestable(o) && !inline.has(o) && !placed.has(o)) {
            inline.add(o);
            placed.add(o);
            stack.push([o, depth + 1]);
          }
        }
      }
    }
  };
  for (let i = 0; i < topLevel.length; i++) claim(topLevel[i]!);
  // Nestable nodes no top-level subject reaches (cycles of blank nodes, or nesting deeper than
  // MAX_NESTING) start trees of their own.
  for (let i = 0; i < order.length; i++) {
    const key = order[i]!;
    if (nestable(key) && !placed.has(key)) {
      topLevel.push(key);
      placed.add(key);
      claim(key);
    }
  }
  return { subjects, topLevel, inline };
}
