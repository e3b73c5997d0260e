import type { Quad, Term } from '@rdfjs/types';
import { RDF, RDF_TYPE } from '../namespaces.js';
import { termKey, termToNt } from '../rdf-terms.js';
import { DataGraph } from './data-graph.js';

/** A shapes graph that cannot be compiled: the message names the shape and the construct. */
export class ShapeError extends Error {}

/** Longest RDF list a shapes graph may hold (sh:in, sh:or, sequence paths ...). */
const MAX_LIST = 100_000;

/** The shapes graph, indexed as a data graph is, with what compiling reads of it (read once per profile). */
export class ShapesGraph extends DataGraph {
  constructor(quads: Quad[]) {
    super(quads);
  }

  all(s: Term, p: string): Term[] {
    return this.objects(s, p);
  }

  one(s: Term, p: string): Term | undefined {
    return this.objects(s, p)[0];
  }

  has(s: Term, p: string): boolean {
    return this.objects(s, p).length > 0;
  }

  predicateNames(s: Term): string[] {
    return [...this.predicates(s).keys()];
  }

  hasType(s: Term, type: string): boolean {
    return this.all(s, RDF_TYPE).some((t) => t.value === type && t.termType === 'NamedNode');
  }

  /** The members of an RDF list; a ShapeError for a list that is not well formed. */
  list(head: Term): Term[] {
    const items: Term[] = [];
    const seen = new Set<string>();
    for (let node: Term | undefined = head; node.value !== RDF('nil') || node.termType !== 'NamedNode';) {
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
