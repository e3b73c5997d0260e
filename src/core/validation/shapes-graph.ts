import type { Quad, Term } from '@rdfjs/types';
import { RDF, RDF_TYPE } from '../namespaces.js';
import { termKey, termToNt } from '../rdf-terms.js';

/** A shapes graph that cannot be compiled: the message names the shape and the construct. */
export class ShapeError extends Error {}

/** Longest RDF list a shapes graph may hold (sh:in, sh:or, sequence paths ...). */
const MAX_LIST = 100_000;

/** The shapes graph, indexed by subject and predicate for compiling (read once per profile). */
export class ShapesGraph {
  private readonly index = new Map<string, Map<string, Term[]>>();
  private readonly terms = new Map<string, Term>();

  constructor(readonly quads: Quad[]) {
    for (const q of quads) {
      const s = termKey(q.subject);
      this.terms.set(s, q.subject);
      let preds = this.index.get(s);
      if (!preds) this.index.set(s, (preds = new Map()));
      const list = preds.get(q.predicate.value);
      if (!list) preds.set(q.predicate.value, [q.object]);
      else if (!list.some((t) => t.equals(q.object))) list.push(q.object);
    }
  }

  all(s: Term, p: string): Term[] {
    return this.index.get(termKey(s))?.get(p) ?? [];
  }

  one(s: Term, p: string): Term | undefined {
    return this.all(s, p)[0];
  }

  has(s: Term, p: string): boolean {
    return this.all(s, p).length > 0;
  }

  predicates(s: Term): string[] {
    return [...(this.index.get(termKey(s))?.keys() ?? [])];
  }

  /** Subjects with a value for `p`. */
  subjectsWith(p: string): Term[] {
    const out: Term[] = [];
    for (const [key, preds] of this.index) if (preds.has(p)) out.push(this.terms.get(key)!);
    return out;
  }

  hasType(s: Term, type: string): boolean {
    return this.all(s, RDF_TYPE).some((t) => t.value === type && t.termType === 'NamedNode');
  }

  /** The members of an RDF list; a ShapeError for a list that is not well formed. */
  list(head: Term): Term[] {
    const items: Term[] = [];
    const seen = new Set<string>();
    for (let node: Term | undefined = head; node.value !== RDF('nil') || node.termType !== 'NamedNode'; ) {
      const first = this.all(node, RDF('first'));
      const rest: Term | undefined = this.one(node, RDF('rest'));
      if (first.length !== 1 || !rest || seen.has(termKey(node)) || items.length >= MAX_LIST) throw new ShapeError(`malformed RDF list at ${termToNt(head)}`);
      seen.add(termKey(node));
      items.push(first[0]!);
      node = rest;
    }
    return items;
  }

  /** Whether `t` is the head of an RDF list (rdf:nil or a node with rdf:first). */
  isList(t: Term): boolean {
    return (t.termType === 'NamedNode' && t.value === RDF('nil')) || this.has(t, RDF('first'));
  }
}
