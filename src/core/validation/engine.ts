import type { Quad, Term } from '@rdfjs/types';
import { termKey } from '../rdf-terms.js';
import type { VocabularyIndex } from '../vocabularies.js';
import type { Constraint, Run } from './components/component.js';
import { DataGraph } from './data-graph.js';
import { MessageComposer } from './messages.js';
import { type Path, pathLabel } from './paths.js';
import type { CompiledShapes, Severity, Shape } from './shapes.js';

/** One finding, as data. `component` is the SHACL constraint component's local name. */
export interface ValidationResult {
  focusNode: Term;
  /** The result path in words: a property's IRI, a SPARQL property path for other paths, '' for none. */
  path: string;
  /** The result path as data (sh:resultPath); absent for a node shape's result. */
  resultPath?: Path;
  value?: Term;
  severity: Severity;
  /** sh:resultSeverity when the shape's sh:severity is none of SHACL's three (it then counts as a Violation). */
  severityIri?: string;
  component: string;
  /** How people know the shape: its IRI, or that of the IRI-named shape that holds it (a property shape's node shape). */
  sourceShape: string;
  /** The shape itself (sh:sourceShape): a node of the shapes graph, often a blank node. */
  shape: Term;
  /** The message in each language, with the value and, for vocabularies, the nearest concept. */
  messages: { nb: string; en: string };
}

export interface ValidationReport {
  /** Katalog's verdict: no result of severity Violation. */
  conforms: boolean;
  results: ValidationResult[];
}

/**
 * One validation of one data graph: the Run the constraints see. Conformance of a node to a shape
 * (sh:node, sh:not, sh:or, qualified shapes ...) is computed once per (shape, node) and remembered,
 * so nested and recursive shapes cost at most shapes × nodes checks; a recursive reference still
 * being checked counts as conforming, and one nested deeper than MAX_NESTING as not conforming.
 * While such a probe runs, the first failure stops it.
 */
/**
 * How deep conformance checks may nest (a shape asking a value to conform to a shape asking its
 * values ...): deeper, a value counts as not conforming, so that a recursive shape over a long chain
 * of nodes cannot exhaust the stack. SHACL leaves recursive shapes undefined.
 */
export const MAX_NESTING = 64;

class Validation implements Run {
  readonly results: ValidationResult[] = [];
  private readonly memo = new Map<string, boolean>();
  private readonly messages: MessageComposer;
  private probing = 0;
  private failed = false;

  constructor(
    readonly data: DataGraph,
    readonly vocabularies: VocabularyIndex,
  ) {
    this.messages = new MessageComposer(vocabularies);
  }

  get stopped(): boolean {
    return this.failed;
  }

  conforms(node: Term, shape: Shape): boolean {
    if (shape.deactivated) return true;
    if (shape.vocabularyScheme) return node.termType === 'NamedNode' && this.vocabularies.membership(node.value, shape.vocabularyScheme) !== 'outside';
    const key = shape.key + '\n' + termKey(node);
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    if (this.probing >= MAX_NESTING) return false;
    this.memo.set(key, true);
    const outerFailed = this.failed;
    this.probing++;
    this.failed = false;
    this.validate(shape, node);
    const conforms = !this.failed;
    this.probing--;
    this.failed = outerFailed;
    this.memo.set(key, conforms);
    return conforms;
  }

  validate(shape: Shape, focus: Term): void {
    if (shape.deactivated) return;
    const values = shape.step ? shape.step([focus], this.data) : [focus];
    for (const constraint of shape.constraints) {
      constraint.check(this, shape, focus, values);
      if (this.failed) return;
    }
  }

  fail(shape: Shape, focus: Term, constraint: Constraint, value?: Term, path?: Path): void {
    if (this.probing > 0) {
      this.failed = true;
      return;
    }
    const resultPath = path ?? shape.path;
    const words = resultPath === undefined ? '' : path !== undefined ? pathLabel(path) : shape.pathLabel;
    let messages: { nb: string; en: string } | undefined;
    const result = {
      focusNode: focus,
      path: words,
      ...(resultPath !== undefined ? { resultPath } : {}),
      ...(value ? { value } : {}),
      severity: shape.severity,
      ...(shape.severityIri ? { severityIri: shape.severityIri } : {}),
      component: constraint.component,
      sourceShape: shape.owner,
      shape: shape.term,
    } as ValidationResult;
    // Composed when first read: most results of a bulk load never are.
    Object.defineProperty(result, 'messages', { enumerable: true, get: () => (messages ??= this.messages.compose(shape, constraint, words, value)) });
    this.results.push(result);
  }
}

/** The focus nodes of each targeted shape in `graph` (SHACL 2.1.3), each once per shape. */
export function focusNodes(graph: DataGraph, compiled: CompiledShapes): Map<Shape, Term[]> {
  const found = new Map<Shape, Map<string, Term>>(compiled.targeted.map((s) => [s, new Map()]));
  const add = (shape: Shape, node: Term) => found.get(shape)!.set(termKey(node), node);
  if (compiled.byClass.size > 0) {
    for (const [key, types] of graph.typed()) {
      for (const type of types) {
        for (const cls of graph.superclassesOf(type)) for (const shape of compiled.byClass.get(cls) ?? []) add(shape, graph.term(key));
      }
    }
  }
  for (const shape of compiled.targeted) {
    const t = shape.targets;
    for (const node of t.nodes) add(shape, node);
    for (const p of t.subjectsOf) for (const node of graph.subjectsWith(p)) add(shape, node);
    for (const p of t.objectsOf) for (const node of graph.objectsWith(p)) add(shape, node);
  }
  return new Map([...found].map(([shape, nodes]) => [shape, [...nodes.values()]]));
}

/**
 * Validates a graph against compiled shapes as SHACL Core does, with vocabulary membership
 * answered by the index. Guarantees: the results (focus node, path, value, component, severity,
 * source shape) of a SHACL processor running the same shapes with the vocabularies' skos:inScheme
 * triples added to the data graph (test/core/validation checks this against rdf-validate-shacl and
 * the W3C SHACL Core test suite). Cost: linear in the graph per constraint, plus at most one
 * conformance check per (shape, node).
 */
export function validateGraph(graph: Quad[] | DataGraph, compiled: CompiledShapes, vocabularies: VocabularyIndex): ValidationReport {
  // A caller that indexed the graph already (to find focus nodes, types ...) passes the index.
  const data = graph instanceof DataGraph ? graph : new DataGraph(graph);
  const run = new Validation(data, vocabularies);
  for (const [shape, nodes] of focusNodes(data, compiled)) for (const focus of nodes) run.validate(shape, focus);
  return { conforms: !run.results.some((r) => r.severity === 'Violation'), results: run.results };
}
