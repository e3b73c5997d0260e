import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { RDF, SHACL } from '../namespaces.js';
import { termKey, termToNt } from '../rdf-terms.js';
import type { DataGraph } from './data-graph.js';
import { ShapeError, type ShapesGraph } from './shapes-graph.js';

/**
 * A SHACL property path (SHACL 2.3.1) as plain data, so that it crosses to and from worker threads
 * unchanged: a predicate is its IRI.
 */
export type Path =
  string | { inverse: Path } | { sequence: Path[] } | { alternative: Path[] } | { zeroOrMore: Path } | { oneOrMore: Path } | { zeroOrOne: Path };

/** Paths nest at most this deep in a shapes graph. */
const MAX_PATH_DEPTH = 32;

/** Reads the path at `node` of the shapes graph; a ShapeError for anything SHACL does not define. */
export function compilePath(graph: ShapesGraph, node: Term, depth = 0): Path {
  if (depth > MAX_PATH_DEPTH) throw new ShapeError(`the path at ${termToNt(node)} nests deeper than ${MAX_PATH_DEPTH}`);
  if (node.termType === 'NamedNode' && node.value !== RDF('nil')) return node.value;
  if (node.termType !== 'BlankNode') throw new ShapeError(`${termToNt(node)} is not a SHACL path`);
  // A list is a sequence path, whatever else the node says (the W3C suite's "strange" paths).
  if (graph.isList(node)) {
    const steps = graph.list(node).map((step) => compilePath(graph, step, depth + 1));
    if (steps.length < 2) throw new ShapeError(`the sequence path at ${termToNt(node)} needs at least two steps`);
    return { sequence: steps };
  }
  const one = (p: string) => {
    const values = graph.all(node, SHACL(p));
    return values.length === 1 ? values[0] : undefined;
  };
  const inverse = one('inversePath');
  if (inverse) return { inverse: compilePath(graph, inverse, depth + 1) };
  const alternative = one('alternativePath');
  if (alternative) {
    const options = graph.list(alternative).map((option) => compilePath(graph, option, depth + 1));
    if (options.length < 2) throw new ShapeError(`the alternative path at ${termToNt(node)} needs at least two paths`);
    return { alternative: options };
  }
  const zeroOrMore = one('zeroOrMorePath');
  if (zeroOrMore) return { zeroOrMore: compilePath(graph, zeroOrMore, depth + 1) };
  const oneOrMore = one('oneOrMorePath');
  if (oneOrMore) return { oneOrMore: compilePath(graph, oneOrMore, depth + 1) };
  const zeroOrOne = one('zeroOrOnePath');
  if (zeroOrOne) return { zeroOrOne: compilePath(graph, zeroOrOne, depth + 1) };
  throw new ShapeError(`${termToNt(node)} is not a SHACL path`);
}

type Step = (nodes: Term[], graph: DataGraph) => Term[];

/** Adds each term once (by its key) to `into`. */
function union(into: Map<string, Term>, terms: Iterable<Term>): void {
  for (const t of terms) {
    const k = termKey(t);
    if (!into.has(k)) into.set(k, t);
  }
}

/**
 * Compiles a path into a function from a set of nodes to the set of nodes the path reaches, each
 * once. Every step is linear in the edges it follows: closures (zeroOrMore, oneOrMore) walk
 * breadth-first with a visited set, so cycles cost nothing extra.
 */
export function pathStep(path: Path, inverse = false): Step {
  if (typeof path === 'string') {
    return (nodes, graph) => {
      if (nodes.length === 1) return inverse ? graph.subjectsOf(nodes[0]!, path) : graph.objects(nodes[0]!, path);
      const out = new Map<string, Term>();
      for (const n of nodes) union(out, inverse ? graph.subjectsOf(n, path) : graph.objects(n, path));
      return [...out.values()];
    };
  }
  if ('inverse' in path) return pathStep(path.inverse, !inverse);
  if ('sequence' in path) {
    const steps = (inverse ? [...path.sequence].reverse() : path.sequence).map((p) => pathStep(p, inverse));
    return (nodes, graph) => steps.reduce((current, step) => (current.length === 0 ? current : step(current, graph)), nodes);
  }
  if ('alternative' in path) {
    const steps = path.alternative.map((p) => pathStep(p, inverse));
    return (nodes, graph) => {
      const out = new Map<string, Term>();
      for (const step of steps) union(out, step(nodes, graph));
      return [...out.values()];
    };
  }
  if ('zeroOrOne' in path) {
    const step = pathStep(path.zeroOrOne, inverse);
    return (nodes, graph) => {
      const out = new Map<string, Term>();
      union(out, nodes);
      union(out, step(nodes, graph));
      return [...out.values()];
    };
  }
  const inner = 'zeroOrMore' in path ? path.zeroOrMore : path.oneOrMore;
  const withStart = 'zeroOrMore' in path;
  const step = pathStep(inner, inverse);
  return (nodes, graph) => {
    const reached = new Map<string, Term>();
    if (withStart) union(reached, nodes);
    let frontier = nodes;
    while (frontier.length > 0) {
      const next: Term[] = [];
      for (const t of step(frontier, graph)) {
        const k = termKey(t);
        if (!reached.has(k)) {
          reached.set(k, t);
          next.push(t);
        }
      }
      frontier = next;
    }
    return [...reached.values()];
  };
}

/** The path in SPARQL property-path syntax (a predicate is its bare IRI), for reports and messages. */
export function pathLabel(path: Path): string {
  const inner = (p: Path): string => (typeof p === 'string' ? `<${p}>` : 'sequence' in p || 'alternative' in p ? `(${pathLabel(p)})` : pathLabel(p));
  if (typeof path === 'string') return path;
  if ('inverse' in path) return `^${inner(path.inverse)}`;
  if ('sequence' in path) return path.sequence.map(inner).join('/');
  if ('alternative' in path) return path.alternative.map(inner).join('|');
  if ('zeroOrMore' in path) return `${inner(path.zeroOrMore)}*`;
  if ('oneOrMore' in path) return `${inner(path.oneOrMore)}+`;
  return `${inner(path.zeroOrOne)}?`;
}

/** The path as SHACL writes it (for sh:resultPath): its node and the triples below it. */
export function pathQuads(path: Path, fresh: () => Term): { node: Term; quads: Quad[] } {
  const { namedNode, quad } = DataFactory;
  if (typeof path === 'string') return { node: namedNode(path), quads: [] };
  const quads: Quad[] = [];
  const list = (items: Path[]) => {
    const nodes = items.map(() => fresh());
    items.forEach((item, i) => {
      const sub = pathQuads(item, fresh);
      quads.push(...sub.quads, quad(nodes[i] as never, namedNode(RDF('first')), sub.node as never));
      quads.push(quad(nodes[i] as never, namedNode(RDF('rest')), (nodes[i + 1] ?? namedNode(RDF('nil'))) as never));
    });
    return nodes[0]!;
  };
  if ('sequence' in path) return { node: list(path.sequence), quads };
  const node = fresh();
  const [key, value] = Object.entries(path)[0] as [string, Path | Path[]];
  let object: Term;
  if (Array.isArray(value)) object = list(value);
  else {
    const sub = pathQuads(value, fresh);
    quads.push(...sub.quads);
    object = sub.node;
  }
  quads.push(quad(node as never, namedNode(SHACL(`${key}Path`)), object as never));
  return { node, quads };
}
