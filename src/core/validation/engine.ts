import type { Quad, Term } from '@rdfjs/types';
import { RDF_TYPE } from '../namespaces.js';
import { termKey } from '../rdf-terms.js';
import type { VocabularyIndex } from '../vocabularies.js';
import { type CompiledShapes, type NodeShape, type PropertyShape, type Severity, SH, type ValueCheck } from './shapes.js';
import { wellFormed } from './xsd.js';

/** One finding, as data. `component` is the SHACL constraint component's local name. */
export interface ValidationResult {
  focusNode: Term;
  path: string;
  value?: Term;
  severity: Severity;
  component: string;
  /** The node shape the failing property shape belongs to. */
  sourceShape: string;
  /** The property shape itself (a blank node of the shapes graph). */
  propertyShape: Term;
  /** The message in each language, with the value and, for vocabularies, the nearest concept. */
  messages: { nb: string; en: string };
}

export interface ValidationReport {
  conforms: boolean;
  results: ValidationResult[];
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const MAX_DEPTH = 16;
/**
 * Nearest-concept searches per validated graph: a record with thousands of values outside a
 * vocabulary gets the hint on the first ones and the vocabulary's name on all.
 */
const MAX_HINTS = 20;

const COMPONENT: Record<ValueCheck['kind'], string> = {
  nodeKind: 'NodeKindConstraintComponent',
  datatype: 'DatatypeConstraintComponent',
  class: 'ClassConstraintComponent',
  in: 'InConstraintComponent',
  pattern: 'PatternConstraintComponent',
  minLength: 'MinLengthConstraintComponent',
  maxLength: 'MaxLengthConstraintComponent',
  languageIn: 'LanguageInConstraintComponent',
  node: 'NodeConstraintComponent',
  or: 'OrConstraintComponent',
};

/** A key for a subject term (an IRI or a blank node), cheaper than its N-Triples spelling. */
const nodeKey = (t: Term) => (t.termType === 'BlankNode' ? '_:' + t.value : t.value);

const NO_PREDICATES: ReadonlyMap<string, Term[]> = new Map();
const NO_VALUES: Term[] = [];

/** A record's graph, indexed for the checks. */
class DataGraph {
  private readonly out = new Map<string, Map<string, Term[]>>();
  private readonly types = new Map<string, Set<string>>();
  /** Keys of the values of long value lists, so that adding a value stays O(1) however many there are. */
  private readonly keysOf = new WeakMap<Term[], Set<string>>();
  readonly subjects = new Map<string, Term>();

  constructor(quads: Quad[]) {
    for (const q of quads) {
      const s = nodeKey(q.subject);
      this.subjects.set(s, q.subject);
      let preds = this.out.get(s);
      if (!preds) this.out.set(s, (preds = new Map()));
      const list = preds.get(q.predicate.value);
      if (list) this.addValue(list, q.object);
      else preds.set(q.predicate.value, [q.object]);
      if (q.predicate.value === RDF_TYPE) {
        const set = this.types.get(s) ?? new Set();
        set.add(q.object.value);
        this.types.set(s, set);
      }
    }
  }

  /** Adds a value unless the list has it: a scan while the list is short, a set of keys after. */
  private addValue(list: Term[], value: Term): void {
    if (list.length < 16) {
      if (!list.some((t) => t.equals(value))) list.push(value);
      return;
    }
    let keys = this.keysOf.get(list);
    if (!keys) this.keysOf.set(list, (keys = new Set(list.map(termKey))));
    const key = termKey(value);
    if (keys.has(key)) return;
    keys.add(key);
    list.push(value);
  }

  /** The node's values per predicate (look it up once per node, then per path). */
  predicates(node: Term): ReadonlyMap<string, Term[]> {
    return (node.termType !== 'Literal' && this.out.get(nodeKey(node))) || NO_PREDICATES;
  }

  hasType(node: Term, cls: string): boolean {
    return this.types.get(nodeKey(node))?.has(cls) ?? false;
  }

  ofType(cls: string): Term[] {
    const out: Term[] = [];
    for (const [key, set] of this.types) if (set.has(cls)) out.push(this.subjects.get(key)!);
    return out;
  }
}

function nodeKindHolds(term: Term, kind: string): boolean {
  const t = term.termType;
  switch (kind) {
    case 'IRI':
      return t === 'NamedNode';
    case 'BlankNode':
      return t === 'BlankNode';
    case 'Literal':
      return t === 'Literal';
    case 'BlankNodeOrIRI':
      return t === 'NamedNode' || t === 'BlankNode';
    case 'BlankNodeOrLiteral':
      return t === 'BlankNode' || t === 'Literal';
    case 'IRIOrLiteral':
      return t === 'NamedNode' || t === 'Literal';
    default:
      return false;
  }
}

function languageMatches(language: string, ranges: string[]): boolean {
  const lang = language.toLowerCase();
  return ranges.some((r) => r === '*' || lang === r || lang.startsWith(r + '-'));
}

function display(term: Term): string {
  if (term.termType === 'Literal') return JSON.stringify(term.value.length > 80 ? term.value.slice(0, 77) + '...' : term.value);
  return term.termType === 'BlankNode' ? '[blank node]' : `<${term.value}>`;
}

/**
 * Validates a graph against compiled shapes, with vocabulary membership answered by the index.
 * Guarantees: the same verdict and results (focus node, path, value, component, severity) as a
 * SHACL processor running the same shapes with the vocabularies' skos:inScheme triples added to
 * the data graph (test/core/validation checks this against rdf-validate-shacl).
 */
export function validateGraph(quads: Quad[], compiled: CompiledShapes, vocabularies: VocabularyIndex): ValidationReport {
  const graph = new DataGraph(quads);
  const results: ValidationResult[] = [];
  let hints = 0;

  const passes = (value: Term, check: ValueCheck, depth: number): boolean => {
    switch (check.kind) {
      case 'nodeKind':
        return nodeKindHolds(value, check.nodeKind);
      case 'datatype':
        if (value.termType !== 'Literal') return false;
        if (value.datatype.value !== check.datatype) return false;
        return wellFormed(value.value, check.datatype);
      case 'class':
        return value.termType !== 'Literal' && graph.hasType(value, check.cls);
      case 'in':
        return check.values.has(termKey(value));
      case 'pattern':
        return value.termType !== 'BlankNode' && check.regex.test(value.value);
      case 'minLength':
        return value.termType !== 'BlankNode' && value.value.length >= check.n;
      case 'maxLength':
        return value.termType !== 'BlankNode' && value.value.length <= check.n;
      case 'languageIn':
        return value.termType === 'Literal' && value.language !== '' && languageMatches(value.language, check.languages);
      case 'node':
        return conforms(value, compiled.shapes.get(check.shape)!, depth + 1);
      case 'or':
        return check.alternatives.some((alt) => alt.every((c) => passes(value, c, depth)));
    }
  };

  /** Whether `node` conforms to `shape`: no result of any severity. */
  const conforms = (node: Term, shape: NodeShape, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    if (shape.vocabularyScheme) return node.termType === 'NamedNode' && vocabularies.membership(node.value, shape.vocabularyScheme) !== 'outside';
    if (!shape.nodeChecks.every((c) => passes(node, c, depth))) return false;
    const sink: ValidationResult[] = [];
    const predicates = graph.predicates(node);
    for (const p of shape.properties) {
      checkProperty(node, predicates, p, sink, depth);
      if (sink.length > 0) return false;
    }
    return true;
  };

  /** Records a result; its messages are composed when first read (most results of a bulk load never are). */
  const report = (sink: ValidationResult[], focus: Term, p: PropertyShape, component: string, value?: Term, check?: ValueCheck) => {
    let messages: { nb: string; en: string } | undefined;
    const compose = () => {
      const base = {
        nb: p.messages.nb ?? p.messages.en ?? `${p.names.nb ?? p.path}: ${component}`,
        en: p.messages.en ?? p.messages.nb ?? `${p.names.en ?? p.path}: ${component}`,
      };
      if (!value) return base;
      const extra = check && vocabularyHint(value, check);
      return { nb: `${base.nb} Verdi: ${display(value)}.${extra ? ' ' + extra.nb : ''}`, en: `${base.en} Value: ${display(value)}.${extra ? ' ' + extra.en : ''}` };
    };
    const result = { focusNode: focus, path: p.path, value, severity: p.severity, component, sourceShape: p.nodeShape, propertyShape: p.id } as ValidationResult;
    Object.defineProperty(result, 'messages', { enumerable: true, get: () => (messages ??= compose()) });
    sink.push(result);
  };

  /** The vocabulary schemes a failed check asked for: sh:node of a vocabulary shape, or an sh:or of them. */
  const schemesOf = (check: ValueCheck): string[] => {
    if (check.kind === 'node') {
      const scheme = compiled.shapes.get(check.shape)?.vocabularyScheme;
      return scheme ? [scheme] : [];
    }
    if (check.kind === 'or') return check.alternatives.flatMap((alt) => (alt.length === 1 ? schemesOf(alt[0]!) : []));
    return [];
  };

  /** What to add to a vocabulary failure: the vocabularies' names and the nearest concept. */
  const vocabularyHint = (value: Term, check: ValueCheck): { nb: string; en: string } | undefined => {
    const schemes = [...new Set(schemesOf(check))];
    if (schemes.length === 0) return undefined;
    const names = (lang: 'nb' | 'en', quote: (s: string) => string) =>
      schemes.map((scheme) => `${quote(vocabularies.vocabularyOf(scheme)?.title[lang] ?? scheme)} (${scheme})`).join(lang === 'nb' ? ' eller ' : ' or ');
    let hint = {
      nb: `Den er ikke et begrep i ${schemes.length > 1 ? 'vokabularene' : 'vokabularet'} ${names('nb', (n) => `«${n}»`)}.`,
      en: `It is not a concept of the ${schemes.length > 1 ? 'vocabularies' : 'vocabulary'} ${names('en', (n) => `"${n}"`)}.`,
    };
    const nearest = value.termType === 'NamedNode' && hints++ < MAX_HINTS ? schemes.map((scheme) => vocabularies.nearest(value.value, scheme)).find((c) => c) : undefined;
    if (nearest) {
      const label = (lang: 'nb' | 'en') => vocabularies.label(nearest.iri, lang);
      hint = {
        nb: `${hint.nb} Mente du <${nearest.iri}>${label('nb') ? ` (${label('nb')})` : ''}?`,
        en: `${hint.en} Did you mean <${nearest.iri}>${label('en') ? ` (${label('en')})` : ''}?`,
      };
    }
    return hint;
  };

  const checkProperty = (focus: Term, predicates: ReadonlyMap<string, Term[]>, p: PropertyShape, sink: ValidationResult[], depth: number) => {
    const values = predicates.get(p.path) ?? NO_VALUES;
    if (p.minCount !== undefined && values.length < p.minCount) report(sink, focus, p, 'MinCountConstraintComponent');
    if (p.maxCount !== undefined && values.length > p.maxCount) report(sink, focus, p, 'MaxCountConstraintComponent');
    if (p.hasValue && !values.some((v) => v.equals(p.hasValue!))) report(sink, focus, p, 'HasValueConstraintComponent');
    if (p.uniqueLang) {
      const seen = new Map<string, number>();
      for (const v of values) if (v.termType === 'Literal' && v.language) seen.set(v.language.toLowerCase(), (seen.get(v.language.toLowerCase()) ?? 0) + 1);
      for (const [, n] of seen) if (n > 1) report(sink, focus, p, 'UniqueLangConstraintComponent');
    }
    for (const check of p.valueChecks) {
      for (const v of values) if (!passes(v, check, depth)) report(sink, focus, p, COMPONENT[check.kind], v, check);
    }
  };

  for (const shape of compiled.targeted) {
    const focusNodes = new Map<string, Term>();
    for (const cls of shape.targetClasses) for (const node of graph.ofType(cls)) focusNodes.set(nodeKey(node), node);
    for (const focus of focusNodes.values()) {
      for (const check of shape.nodeChecks) {
        if (!passes(focus, check, 0)) {
          results.push({
            focusNode: focus,
            path: '',
            value: focus,
            severity: 'Violation',
            component: COMPONENT[check.kind],
            sourceShape: shape.iri,
            propertyShape: { termType: 'NamedNode', value: shape.iri } as Term,
            messages: { nb: `${display(focus)} passer ikke formen ${shape.iri}.`, en: `${display(focus)} does not fit the shape ${shape.iri}.` },
          });
        }
      }
      const predicates = graph.predicates(focus);
      for (const p of shape.properties) checkProperty(focus, predicates, p, results, 0);
    }
  }
  return { conforms: !results.some((r) => r.severity === 'Violation'), results };
}

export { SH, XSD_STRING, RDF_LANG_STRING };
