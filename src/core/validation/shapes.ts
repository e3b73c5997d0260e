import type { Quad, Term } from '@rdfjs/types';
import { RDF_TYPE } from '../namespaces.js';
import { termKey, termToNt } from '../rdf-terms.js';

/**
 * Compiles SHACL shapes (the subset in shapes/CONVENTIONS.md) into plain checks that the engine in
 * engine.ts runs without touching the shapes graph again. Anything outside the subset is refused
 * here, when the profile loads, so that a shape is never silently ignored.
 */
export const SH = 'http://www.w3.org/ns/shacl#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const SKOS_IN_SCHEME = 'http://www.w3.org/2004/02/skos/core#inScheme';

export type Severity = 'Violation' | 'Warning' | 'Info';
export type Texts = Partial<Record<'nb' | 'en', string>>;

export type ValueCheck =
  | { kind: 'nodeKind'; nodeKind: string }
  | { kind: 'datatype'; datatype: string }
  | { kind: 'class'; cls: string }
  | { kind: 'in'; values: Set<string> }
  | { kind: 'pattern'; regex: RegExp }
  | { kind: 'minLength'; n: number }
  | { kind: 'maxLength'; n: number }
  | { kind: 'languageIn'; languages: string[] }
  | { kind: 'node'; shape: string }
  | { kind: 'or'; alternatives: ValueCheck[][] };

export interface PropertyShape {
  id: Term;
  nodeShape: string;
  path: string;
  severity: Severity;
  messages: Texts;
  names: Texts;
  minCount?: number;
  maxCount?: number;
  hasValue?: Term;
  uniqueLang?: boolean;
  valueChecks: ValueCheck[];
}

export interface NodeShape {
  iri: string;
  targetClasses: string[];
  properties: PropertyShape[];
  /** Checks on the focus node itself (sh:nodeKind, sh:class, sh:or on the node shape). */
  nodeChecks: ValueCheck[];
  /** Set when the shape only says `skos:inScheme sh:hasValue <scheme>`: answered by the vocabulary index. */
  vocabularyScheme?: string;
  labels: Texts;
}

export interface CompiledShapes {
  shapes: Map<string, NodeShape>;
  /** Shapes with targets, in the order they appear. */
  targeted: NodeShape[];
}

export class ShapeError extends Error {}

const PROPERTY_KEYS = new Set(
  ['path', 'minCount', 'maxCount', 'nodeKind', 'datatype', 'class', 'in', 'hasValue', 'pattern', 'flags', 'minLength', 'maxLength',
    'uniqueLang', 'languageIn', 'node', 'or', 'severity', 'message', 'name', 'description', 'order', 'group', 'PropertyShape',
  ].map((k) => SH + k),
);
const NODE_KEYS = new Set(
  ['targetClass', 'property', 'nodeKind', 'class', 'or', 'name', 'description', 'message', 'severity', 'NodeShape'].map((k) => SH + k),
);
const VALUE_KEYS = new Set(['nodeKind', 'datatype', 'class', 'node'].map((k) => SH + k));

class Graph {
  private readonly index = new Map<string, Map<string, Term[]>>();
  private readonly terms = new Map<string, Term>();
  constructor(quads: Quad[]) {
    for (const q of quads) {
      const s = termKey(q.subject);
      this.terms.set(s, q.subject);
      let preds = this.index.get(s);
      if (!preds) this.index.set(s, (preds = new Map()));
      const list = preds.get(q.predicate.value) ?? [];
      list.push(q.object);
      preds.set(q.predicate.value, list);
    }
  }
  all(s: Term, p: string): Term[] {
    return this.index.get(termKey(s))?.get(p) ?? [];
  }
  one(s: Term, p: string): Term | undefined {
    return this.all(s, p)[0];
  }
  predicates(s: Term): string[] {
    return [...(this.index.get(termKey(s))?.keys() ?? [])];
  }
  subjectsOfType(type: string): Term[] {
    const out: Term[] = [];
    for (const [key, preds] of this.index) {
      if (preds.get(RDF_TYPE)?.some((t) => t.value === type)) out.push(this.terms.get(key)!);
    }
    return out;
  }
  list(head: Term | undefined): Term[] {
    const items: Term[] = [];
    for (let node = head; node && node.value !== RDF + 'nil'; node = this.one(node, RDF + 'rest')) {
      const first = this.one(node, RDF + 'first');
      if (!first || items.length > 10_000) throw new ShapeError(`malformed RDF list at ${termToNt(head!)}`);
      items.push(first);
    }
    return items;
  }
}

function texts(graph: Graph, s: Term, p: string): Texts {
  const out: Texts = {};
  for (const t of graph.all(s, p)) {
    if (t.termType !== 'Literal') continue;
    const lang = t.language === 'nn' || t.language === 'no' ? 'nb' : t.language || 'en';
    if ((lang === 'nb' || lang === 'en') && out[lang] === undefined) out[lang] = t.value;
  }
  return out;
}

function severity(graph: Graph, s: Term): Severity {
  const t = graph.one(s, SH + 'severity');
  if (!t) return 'Violation';
  const local = t.value.slice(SH.length);
  if (t.value.startsWith(SH) && (local === 'Violation' || local === 'Warning' || local === 'Info')) return local;
  throw new ShapeError(`unknown severity ${t.value} on ${termToNt(s)}`);
}

function checkKeys(graph: Graph, s: Term, allowed: Set<string>, what: string): void {
  for (const p of graph.predicates(s)) {
    if (p.startsWith(SH) && !allowed.has(p)) throw new ShapeError(`${what} ${termToNt(s)} uses ${p}, which Katalog's engine does not implement`);
  }
}

function number(graph: Graph, s: Term, p: string): number | undefined {
  const t = graph.one(s, p);
  return t ? Number(t.value) : undefined;
}

function valueChecks(graph: Graph, s: Term): ValueCheck[] {
  const checks: ValueCheck[] = [];
  const nodeKind = graph.one(s, SH + 'nodeKind');
  if (nodeKind) checks.push({ kind: 'nodeKind', nodeKind: nodeKind.value.slice(SH.length) });
  for (const t of graph.all(s, SH + 'datatype')) checks.push({ kind: 'datatype', datatype: t.value });
  for (const t of graph.all(s, SH + 'class')) checks.push({ kind: 'class', cls: t.value });
  for (const t of graph.all(s, SH + 'node')) checks.push({ kind: 'node', shape: t.value });
  const inList = graph.one(s, SH + 'in');
  if (inList) checks.push({ kind: 'in', values: new Set(graph.list(inList).map(termKey)) });
  const pattern = graph.one(s, SH + 'pattern');
  if (pattern) checks.push({ kind: 'pattern', regex: new RegExp(pattern.value, (graph.one(s, SH + 'flags')?.value ?? '').replace(/[^imsux]/g, '')) });
  const minLength = number(graph, s, SH + 'minLength');
  if (minLength !== undefined) checks.push({ kind: 'minLength', n: minLength });
  const maxLength = number(graph, s, SH + 'maxLength');
  if (maxLength !== undefined) checks.push({ kind: 'maxLength', n: maxLength });
  const languageIn = graph.one(s, SH + 'languageIn');
  if (languageIn) checks.push({ kind: 'languageIn', languages: graph.list(languageIn).map((t) => t.value.toLowerCase()) });
  const or = graph.one(s, SH + 'or');
  if (or) {
    checks.push({
      kind: 'or',
      alternatives: graph.list(or).map((alt) => {
        checkKeys(graph, alt, VALUE_KEYS, 'an sh:or alternative');
        return valueChecks(graph, alt);
      }),
    });
  }
  return checks;
}

/** Compiles a shapes graph. Throws ShapeError for anything outside the subset. */
export function compileShapes(quads: Quad[]): CompiledShapes {
  const graph = new Graph(quads);
  const shapes = new Map<string, NodeShape>();
  const targeted: NodeShape[] = [];
  for (const s of graph.subjectsOfType(SH + 'NodeShape')) {
    if (s.termType !== 'NamedNode') throw new ShapeError('node shapes must be IRIs');
    checkKeys(graph, s, NODE_KEYS, 'node shape');
    const properties = graph.all(s, SH + 'property').map((p) => compileProperty(graph, p, s.value));
    const shape: NodeShape = {
      iri: s.value,
      targetClasses: graph.all(s, SH + 'targetClass').map((t) => t.value),
      properties,
      nodeChecks: valueChecks(graph, s),
      labels: texts(graph, s, 'http://www.w3.org/2000/01/rdf-schema#label'),
    };
    const only = properties.length === 1 ? properties[0]! : undefined;
    if (only && only.path === SKOS_IN_SCHEME && only.hasValue && only.valueChecks.length === 0 && only.minCount === undefined) {
      shape.vocabularyScheme = only.hasValue.value;
    }
    shapes.set(s.value, shape);
    if (shape.targetClasses.length > 0) targeted.push(shape);
  }
  for (const shape of shapes.values()) {
    for (const p of shape.properties) for (const c of flatten(p.valueChecks)) if (c.kind === 'node' && !shapes.has(c.shape)) {
      throw new ShapeError(`sh:node <${c.shape}> in ${shape.iri} names no node shape of the profile`);
    }
  }
  return { shapes, targeted };
}

/** The schemes of the vocabulary shapes a profile's property shapes use. */
export function usedSchemes(compiled: CompiledShapes): string[] {
  const schemes = new Set<string>();
  for (const shape of compiled.shapes.values()) {
    for (const p of shape.properties) {
      for (const c of flatten(p.valueChecks)) {
        const scheme = c.kind === 'node' ? compiled.shapes.get(c.shape)?.vocabularyScheme : undefined;
        if (scheme) schemes.add(scheme);
      }
    }
  }
  return [...schemes];
}

function flatten(checks: ValueCheck[]): ValueCheck[] {
  return checks.flatMap((c) => (c.kind === 'or' ? [c, ...c.alternatives.flatMap(flatten)] : [c]));
}

function compileProperty(graph: Graph, s: Term, nodeShape: string): PropertyShape {
  checkKeys(graph, s, PROPERTY_KEYS, 'property shape');
  const path = graph.one(s, SH + 'path');
  if (!path || path.termType !== 'NamedNode') throw new ShapeError(`property shape ${termToNt(s)} of ${nodeShape} needs an IRI sh:path`);
  const uniqueLang = graph.one(s, SH + 'uniqueLang');
  return {
    id: s,
    nodeShape,
    path: path.value,
    severity: severity(graph, s),
    messages: texts(graph, s, SH + 'message'),
    names: texts(graph, s, SH + 'name'),
    minCount: number(graph, s, SH + 'minCount'),
    maxCount: number(graph, s, SH + 'maxCount'),
    hasValue: graph.one(s, SH + 'hasValue'),
    uniqueLang: uniqueLang ? uniqueLang.value === 'true' : undefined,
    valueChecks: valueChecks(graph, s),
  };
}
