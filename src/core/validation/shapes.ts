import type { Quad, Term } from '@rdfjs/types';
import { RDF_TYPE, RDFS, SHACL, SKOS } from '../namespaces.js';
import { nodeLabel, termKey, termToNt } from '../rdf-terms.js';
import type { CompileContext, Constraint } from './components/component.js';
import { COMPONENTS, PARAMETERS } from './components/index.js';
import type { DataGraph } from './data-graph.js';
import { compilePath, type Path, pathLabel, pathStep } from './paths.js';
import { ShapeError, ShapesGraph } from './shapes-graph.js';

/**
 * Compiles a SHACL Core shapes graph into shapes whose constraints the engine (engine.ts) runs
 * without reading the shapes graph again. Every constraint component comes from the registry in
 * components/; a shape using SHACL-SPARQL or a term SHACL Core does not define is refused here,
 * when the shapes load, so that no constraint is ever silently ignored (docs/validation.md).
 */
export { ShapeError };
export const SH = SHACL('');

export type Severity = 'Violation' | 'Warning' | 'Info';
export type Texts = Partial<Record<'nb' | 'en', string>>;

export interface Targets {
  classes: string[];
  nodes: Term[];
  subjectsOf: string[];
  objectsOf: string[];
}

export interface Shape {
  /** The shape's node in the shapes graph (an IRI or a blank node). */
  term: Term;
  key: string;
  /** Set for a property shape. */
  path?: Path;
  /** The path's value nodes from a focus node; undefined for a node shape, whose value node is the focus node. */
  step?: (nodes: Term[], graph: DataGraph) => Term[];
  /** The path in words ('' for a node shape). */
  pathLabel: string;
  /** Katalog's severity: an sh:severity other than SHACL's three counts as a Violation. */
  severity: Severity;
  /** The sh:severity IRI when it is none of SHACL's three. */
  severityIri?: string;
  deactivated: boolean;
  messages: Texts;
  names: Texts;
  labels: Texts;
  /** The shape's IRI, or that of the nearest IRI-named shape that holds it: how reports name the shape to people. */
  owner: string;
  targets: Targets;
  constraints: Constraint[];
  /** Set for a vocabulary shape (only `skos:inScheme sh:hasValue <scheme>`): answered by the vocabulary index. */
  vocabularyScheme?: string;
}

export interface CompiledShapes {
  shapes: Map<string, Shape>;
  /** Shapes with at least one target, in the order they were found. */
  targeted: Shape[];
  /** Targeted shapes by the classes they target. */
  byClass: Map<string, Shape[]>;
}

const TARGETS = ['targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf'];
/** Terms of SHACL Core that are not constraint parameters. */
const NON_VALIDATING = new Set(['path', 'severity', 'message', 'name', 'description', 'order', 'group', 'defaultValue', 'deactivated', ...TARGETS]);
/** SHACL-SPARQL and SHACL Advanced Features: refused with the construct named. */
const SPARQL = new Set([
  'sparql',
  'target',
  'select',
  'ask',
  'prefixes',
  'declare',
  'parameter',
  'validator',
  'nodeValidator',
  'propertyValidator',
  'rule',
  'condition',
  'expression',
  'values',
  'filterShape',
]);

function texts(graph: ShapesGraph, s: Term, p: string): Texts {
  const out: Texts = {};
  for (const t of graph.all(s, p)) {
    if (t.termType !== 'Literal') continue;
    const lang =
      t.language === 'nn' || t.language === 'no' || t.language.startsWith('nb') ? 'nb' : t.language === '' || t.language.startsWith('en') ? 'en' : undefined;
    if (lang && out[lang] === undefined) out[lang] = t.value;
  }
  return out;
}

class Compiler {
  readonly shapes = new Map<string, Shape>();
  constructor(private readonly graph: ShapesGraph) {}

  /** The shape at `node`, compiled once; `owner` names it to people when it has no IRI. */
  shape(node: Term, owner?: string): Shape {
    const key = termKey(node);
    const known = this.shapes.get(key);
    if (known) return known;
    if (node.termType === 'Literal') throw new ShapeError(`the literal ${termToNt(node)} is used as a shape`);
    const g = this.graph;
    const pathNode = g.one(node, SHACL('path'));
    const severityNode = g.one(node, SHACL('severity'));
    const severityLocal = severityNode?.value.startsWith(SH) ? severityNode.value.slice(SH.length) : undefined;
    const known3 = severityLocal === 'Violation' || severityLocal === 'Warning' || severityLocal === 'Info';
    const path = pathNode ? compilePath(g, pathNode) : undefined;
    const shape: Shape = {
      term: node,
      key,
      path,
      step: path === undefined ? undefined : pathStep(path),
      pathLabel: path === undefined ? '' : pathLabel(path),
      severity: known3 ? (severityLocal as Severity) : 'Violation',
      ...(severityNode && !known3 ? { severityIri: severityNode.value } : {}),
      deactivated: g.all(node, SHACL('deactivated')).some((t) => t.termType === 'Literal' && t.value === 'true'),
      messages: texts(g, node, SHACL('message')),
      names: texts(g, node, SHACL('name')),
      labels: texts(g, node, RDFS('label')),
      owner: node.termType === 'NamedNode' ? node.value : (owner ?? nodeLabel(node)),
      targets: {
        classes: g.all(node, SHACL('targetClass')).map((t) => t.value),
        nodes: g.all(node, SHACL('targetNode')),
        subjectsOf: g.all(node, SHACL('targetSubjectsOf')).map((t) => t.value),
        objectsOf: g.all(node, SHACL('targetObjectsOf')).map((t) => t.value),
      },
      constraints: [],
    };
    // An implicit class target: a shape that is also an rdfs:Class targets its instances.
    if (node.termType === 'NamedNode' && g.hasType(node, RDFS('Class'))) shape.targets.classes.push(node.value);
    // Registered before its constraints compile, so that shapes may refer to each other (and to themselves).
    this.shapes.set(key, shape);
    this.checkTerms(node);
    const context: CompileContext = {
      graph: g,
      node,
      isProperty: path !== undefined,
      values: (parameter) => g.all(node, SHACL(parameter)),
      shape: (other) => this.shape(other, shape.owner),
      error: (message) => new ShapeError(`shape ${termToNt(node)}${shape.owner !== nodeLabel(node) ? ` (in ${shape.owner})` : ''}: ${message}`),
    };
    for (const component of COMPONENTS) {
      if (component.parameters.every((p) => g.has(node, SHACL(p)))) shape.constraints.push(...component.compile(context));
    }
    shape.vocabularyScheme = this.vocabularyScheme(node);
    return shape;
  }

  private checkTerms(node: Term): void {
    for (const p of this.graph.predicateNames(node)) {
      if (!p.startsWith(SH)) continue;
      const local = p.slice(SH.length);
      if (SPARQL.has(local))
        throw new ShapeError(`shape ${termToNt(node)} uses sh:${local}, which is SHACL-SPARQL or SHACL Advanced Features: Katalog implements SHACL Core only`);
      if (!PARAMETERS.has(local) && !NON_VALIDATING.has(local))
        throw new ShapeError(`shape ${termToNt(node)} uses sh:${local}, which is not a term of SHACL Core`);
    }
    for (const t of this.graph.all(node, RDF_TYPE)) {
      if (t.value === SHACL('SPARQLConstraint') || t.value === SHACL('ConstraintComponent'))
        throw new ShapeError(`shape ${termToNt(node)} is an ${t.value}: Katalog implements SHACL Core only`);
    }
  }

  /** The scheme of a vocabulary shape: one property shape, `skos:inScheme sh:hasValue <scheme>`, and nothing else. */
  private vocabularyScheme(node: Term): string | undefined {
    const g = this.graph;
    const constraining = (n: Term) => g.predicateNames(n).filter((p) => p.startsWith(SH) && PARAMETERS.has(p.slice(SH.length)));
    const own = constraining(node);
    if (own.length !== 1 || own[0] !== SHACL('property')) return undefined;
    const properties = g.all(node, SHACL('property'));
    if (properties.length !== 1) return undefined;
    const p = properties[0]!;
    const scheme = g.all(p, SHACL('hasValue'));
    if (g.one(p, SHACL('path'))?.value !== SKOS('inScheme') || scheme.length !== 1 || scheme[0]!.termType !== 'NamedNode') return undefined;
    return constraining(p).length === 1 ? scheme[0]!.value : undefined;
  }
}

/** Compiles a shapes graph (SHACL Core). Throws ShapeError for what SHACL Core does not define. */
export function compileShapes(quads: Quad[]): CompiledShapes {
  const graph = new ShapesGraph(quads);
  const compiler = new Compiler(graph);
  const roots = new Map<string, Term>();
  for (const type of ['NodeShape', 'PropertyShape']) {
    for (const s of graph.subjectsWith(RDF_TYPE)) if (graph.hasType(s, SHACL(type))) roots.set(termKey(s), s);
  }
  for (const t of TARGETS) for (const s of graph.subjectsWith(SHACL(t))) roots.set(termKey(s), s);
  // IRI-named shapes first, so that the blank shapes they hold are named after them.
  const ordered = [...roots.values()].sort((a, b) => Number(a.termType === 'BlankNode') - Number(b.termType === 'BlankNode'));
  for (const s of ordered) compiler.shape(s);
  const targeted = ordered
    .map((s) => compiler.shapes.get(termKey(s))!)
    .filter((s) => TARGETS.some((t) => graph.has(s.term, SHACL(t))) || s.targets.classes.length > 0);
  const byClass = new Map<string, Shape[]>();
  for (const shape of targeted) {
    for (const cls of new Set(shape.targets.classes)) {
      const list = byClass.get(cls);
      if (list) list.push(shape);
      else byClass.set(cls, [shape]);
    }
  }
  return { shapes: compiler.shapes, targeted, byClass };
}

/** The schemes of the vocabulary shapes that the compiled shapes' constraints refer to. */
export function usedSchemes(compiled: CompiledShapes): string[] {
  const schemes = new Set<string>();
  for (const shape of compiled.shapes.values()) {
    for (const c of shape.constraints) for (const s of c.shapes ?? []) if (s.vocabularyScheme) schemes.add(s.vocabularyScheme);
  }
  return [...schemes];
}
