/**
 * SHACL 4.5, property pair constraint components: sh:equals, sh:disjoint (node and property
 * shapes), sh:lessThan, sh:lessThanOrEquals (property shapes). Each compares the value nodes with
 * the focus node's values of another property, in time linear in both.
 */
import type { Term } from '@rdfjs/types';
import { termKey } from '../../rdf-terms.js';
import { ordered } from '../literal-order.js';
import { type CompileContext, type Constraint, type ConstraintComponent, perParameterValue } from './component.js';

function property(context: CompileContext, value: Term, parameter: string): string {
  if (value.termType !== 'NamedNode') throw context.error(`sh:${parameter} must be an IRI`);
  return value.value;
}

const keys = (terms: Term[]) => new Set(terms.map(termKey));

export const equalsComponent: ConstraintComponent = {
  parameters: ['equals'],
  compile: (context) =>
    perParameterValue(context, 'equals', (value) => {
      const p = property(context, value, 'equals');
      const constraint: Constraint = {
        component: 'EqualsConstraintComponent',
        words: { nb: `verdiene skal være de samme som for <${p}>`, en: `the values must be the same as those of <${p}>` },
        check(run, shape, focus, values) {
          const others = run.data.objects(focus, p);
          const mine = keys(values);
          const theirs = keys(others);
          for (const v of values) if (!theirs.has(termKey(v)) && !run.stopped) run.fail(shape, focus, constraint, v);
          for (const v of others) if (!mine.has(termKey(v)) && !run.stopped) run.fail(shape, focus, constraint, v);
        },
      };
      return constraint;
    }),
};

export const disjointComponent: ConstraintComponent = {
  parameters: ['disjoint'],
  compile: (context) =>
    perParameterValue(context, 'disjoint', (value) => {
      const p = property(context, value, 'disjoint');
      const constraint: Constraint = {
        component: 'DisjointConstraintComponent',
        words: { nb: `ingen verdi kan også være verdi av <${p}>`, en: `no value may also be a value of <${p}>` },
        check(run, shape, focus, values) {
          const theirs = keys(run.data.objects(focus, p));
          for (const v of values) if (theirs.has(termKey(v)) && !run.stopped) run.fail(shape, focus, constraint, v);
        },
      };
      return constraint;
    }),
};

/** Results of one value node of sh:lessThan(OrEquals): one per failing pair, as SHACL says, up to this many. */
const MAX_PAIRS_PER_VALUE = 10;

/** How many of `sorted` are less than `x` (or equal, with `orEqual`): a binary search. */
function countBelow(sorted: Array<number | string>, x: number | string, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (orEqual ? sorted[mid]! <= x : sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * sh:lessThan and sh:lessThanOrEquals: each pair of a value node and a value of the other property
 * that is incomparable, or not in order, is a result. The other values are sorted per kind of
 * literal once, so a value node's failing pairs are counted with a binary search (n log n); a
 * value node gives at most MAX_PAIRS_PER_VALUE results, so that two long value lists cannot give
 * a quadratic report.
 */
function lessThan(parameter: string, component: string, orEqual: boolean): ConstraintComponent {
  return {
    parameters: [parameter],
    compile(context) {
      if (!context.isProperty) throw context.error(`sh:${parameter} needs a property shape (one with sh:path)`);
      return perParameterValue(context, parameter, (value) => {
        const p = property(context, value, parameter);
        const words = orEqual
          ? { nb: `verdien skal være mindre enn eller lik verdiene av <${p}>`, en: `the value must be less than or equal to the values of <${p}>` }
          : { nb: `verdien skal være mindre enn verdiene av <${p}>`, en: `the value must be less than the values of <${p}>` };
        const constraint: Constraint = {
          component,
          words,
          check(run, shape, focus, values) {
            const others = run.data.objects(focus, p);
            if (others.length === 0) return;
            const byKind = new Map<string, Array<number | string>>();
            for (const o of others) {
              const x = ordered(o);
              const kind = x?.kind ?? '';
              const list = byKind.get(kind);
              if (list) list.push(x?.value ?? 0);
              else byKind.set(kind, [x?.value ?? 0]);
            }
            for (const list of byKind.values()) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            for (const v of values) {
              const x = ordered(v);
              const same = x ? byKind.get(x.kind) : undefined;
              // Pairs with another kind (or an incomparable value) fail, and those in the wrong order.
              const failing = others.length - (same?.length ?? 0) + (same ? countBelow(same, x!.value, !orEqual) : 0);
              for (let i = 0; i < Math.min(failing, MAX_PAIRS_PER_VALUE) && !run.stopped; i++) run.fail(shape, focus, constraint, v);
            }
          },
        };
        return constraint;
      });
    },
  };
}

export const lessThanComponent = lessThan('lessThan', 'LessThanConstraintComponent', false);
export const lessThanOrEqualsComponent = lessThan('lessThanOrEquals', 'LessThanOrEqualsConstraintComponent', true);
