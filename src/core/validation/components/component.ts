import type { Term } from '@rdfjs/types';
import type { VocabularyIndex } from '../../vocabularies.js';
import type { DataGraph } from '../data-graph.js';
import type { Path } from '../paths.js';
import type { ShapesGraph } from '../shapes-graph.js';
import type { Shape } from '../shapes.js';

/** A text in Norwegian Bokmål and English. */
export interface Words {
  nb: string;
  en: string;
}

/**
 * One constraint of a shape: a constraint component with its parameter values, compiled once.
 * The engine calls `check` with the focus node and its value nodes (the focus node itself for a
 * node shape, the path's values for a property shape).
 */
export interface Constraint {
  /** The constraint component's local name in the sh: namespace (`MinCountConstraintComponent`). */
  component: string;
  /** Checks the value nodes of `focus` and reports each failure with `run.fail`. */
  check(run: Run, shape: Shape, focus: Term, values: Term[]): void;
  /** What the constraint asks, for a shape that has no sh:message ("at least 1 value"). */
  words: Words;
  /** Shapes the values must conform to (sh:node, sh:or ...): vocabulary shapes among them name the vocabulary in messages. */
  shapes?: Shape[];
}

/** What a constraint may ask of the validation under way. */
export interface Run {
  readonly data: DataGraph;
  readonly vocabularies: VocabularyIndex;
  /** Whether `node` conforms to `shape`: validating it there gives no result of any severity. */
  conforms(node: Term, shape: Shape): boolean;
  /** Validates `shape` with `focus` as its focus node; its results join the current ones. */
  validate(shape: Shape, focus: Term): void;
  /** Reports that `constraint` of `shape` fails at `focus` (for `value`; at `path` instead of the shape's path). */
  fail(shape: Shape, focus: Term, constraint: Constraint, value?: Term, path?: Path): void;
  /** True once a conformance probe has its answer: checks may stop early. */
  readonly stopped: boolean;
}

/** What a component sees of the shape it compiles. */
export interface CompileContext {
  readonly graph: ShapesGraph;
  /** The shape's node in the shapes graph. */
  readonly node: Term;
  /** True for a property shape (one with sh:path). */
  readonly isProperty: boolean;
  /** The values of one of the shape's parameters (local name in sh:). */
  values(parameter: string): Term[];
  /** The shape at `node`, compiled (or being compiled: shapes may refer to each other). */
  shape(node: Term): Shape;
  /** A ShapeError naming this shape. */
  error(message: string): Error;
}

/**
 * A SHACL Core constraint component (SHACL section 4): the parameters that make a shape use it,
 * and how it compiles into constraints. The registry (components/index.ts) lists them all.
 */
export interface ConstraintComponent {
  /** Mandatory parameters (local names): the component applies when a shape has all of them. */
  parameters: string[];
  /** Optional parameters it also reads. */
  optional?: string[];
  /** Compiles one shape's use of the component; none when the parameters say nothing to check. */
  compile(context: CompileContext): Constraint[];
}

/**
 * A constraint that tests each value node on its own and reports the failing ones with the value:
 * most components of SHACL Core are of this kind.
 */
export function eachValue(component: string, words: Words, test: (value: Term, run: Run) => boolean, shapes?: Shape[]): Constraint {
  const constraint: Constraint = {
    component,
    words,
    shapes,
    check(run, shape, focus, values) {
      for (const v of values) {
        if (!test(v, run)) {
          run.fail(shape, focus, constraint, v);
          if (run.stopped) return;
        }
      }
    },
  };
  return constraint;
}

/** One constraint per value of a parameter (SHACL: each value of a single-parameter component is its own constraint). */
export function perParameterValue(context: CompileContext, parameter: string, make: (value: Term) => Constraint): Constraint[] {
  return context.values(parameter).map(make);
}

/** The single value of a parameter, or a ShapeError. */
export function single(context: CompileContext, parameter: string): Term {
  const values = context.values(parameter);
  if (values.length !== 1) throw context.error(`needs exactly one sh:${parameter}, has ${values.length}`);
  return values[0]!;
}

/** A non-negative integer parameter value, or a ShapeError. */
export function count(context: CompileContext, value: Term, parameter: string): number {
  const n = Number(value.value);
  if (value.termType !== 'Literal' || !Number.isInteger(n) || n < 0) throw context.error(`sh:${parameter} must be a non-negative integer, is ${value.value}`);
  return n;
}

/** Whether a boolean parameter is `true` (SHACL compares with the literal true: "1"^^xsd:boolean is another literal). */
export const isTrue = (value: Term | undefined) => value?.termType === 'Literal' && value.value === 'true';

/** How a term is shown in a message. */
export function display(term: Term): string {
  if (term.termType === 'Literal') return JSON.stringify(term.value.length > 80 ? term.value.slice(0, 77) + '...' : term.value);
  return term.termType === 'BlankNode' ? '[blank node]' : `<${term.value}>`;
}
