/** SHACL 4.7, shape-based constraint components: sh:node, sh:property, sh:qualifiedValueShape with its counts. */
import type { Term } from '@rdfjs/types';
import { SHACL } from '../../namespaces.js';
import { termKey } from '../../rdf-terms.js';
import type { Shape } from '../shapes.js';
import { type CompileContext, type Constraint, type ConstraintComponent, count, eachValue, isTrue, perParameterValue, single } from './component.js';

export const nodeComponent: ConstraintComponent = {
  parameters: ['node'],
  compile: (context) =>
    perParameterValue(context, 'node', (value) => {
      const shape = context.shape(value);
      return eachValue(
        'NodeConstraintComponent',
        { nb: `verdien skal passe formen ${shape.owner}`, en: `the value must fit the shape ${shape.owner}` },
        (v, run) => run.conforms(v, shape),
        [shape],
      );
    }),
};

/** sh:property: each value node is the focus node of the property shape, whose results are its own. */
export const propertyComponent: ConstraintComponent = {
  parameters: ['property'],
  compile: (context) =>
    perParameterValue(context, 'property', (value) => {
      const shape = context.shape(value);
      if (!shape.path) throw context.error(`sh:property ${value.value} is not a property shape (it has no sh:path)`);
      const constraint: Constraint = {
        component: 'PropertyConstraintComponent',
        words: { nb: `verdien skal passe formen ${shape.owner}`, en: `the value must fit the shape ${shape.owner}` },
        shapes: [shape],
        check(run, _shape, _focus, values) {
          for (const v of values) {
            run.validate(shape, v);
            if (run.stopped) return;
          }
        },
      };
      return constraint;
    }),
};

/**
 * The qualified value shapes of the sibling shapes of this one (SHACL 4.7.3): those of the other
 * property shapes of every shape that has this one as sh:property.
 */
function siblings(context: CompileContext, own: Term): Shape[] {
  const { graph, node } = context;
  const out = new Map<string, Term>();
  for (const parent of graph.subjectsWith(SHACL('property'))) {
    if (!graph.all(parent, SHACL('property')).some((p) => p.equals(node))) continue;
    for (const sibling of graph.all(parent, SHACL('property'))) {
      for (const q of graph.all(sibling, SHACL('qualifiedValueShape'))) if (!q.equals(own)) out.set(termKey(q), q);
    }
  }
  return [...out.values()].map((q) => context.shape(q));
}

function qualified(bound: 'qualifiedMinCount' | 'qualifiedMaxCount'): ConstraintComponent {
  const component = bound === 'qualifiedMinCount' ? 'QualifiedMinCountConstraintComponent' : 'QualifiedMaxCountConstraintComponent';
  return {
    parameters: ['qualifiedValueShape', bound],
    optional: ['qualifiedValueShapesDisjoint'],
    compile(context) {
      if (!context.isProperty) throw context.error('sh:qualifiedValueShape needs a property shape (one with sh:path)');
      const own = single(context, 'qualifiedValueShape');
      const shape = context.shape(own);
      const n = count(context, single(context, bound), bound);
      const others = isTrue(context.values('qualifiedValueShapesDisjoint')[0]) ? siblings(context, own) : [];
      const words =
        bound === 'qualifiedMinCount'
          ? { nb: `minst ${n} verdi(er) skal passe formen ${shape.owner}`, en: `at least ${n} value(s) must fit the shape ${shape.owner}` }
          : { nb: `høyst ${n} verdi(er) kan passe formen ${shape.owner}`, en: `at most ${n} value(s) may fit the shape ${shape.owner}` };
      const constraint: Constraint = {
        component,
        words,
        shapes: [shape],
        check(run, s, focus, values) {
          let fitting = 0;
          for (const v of values) if (run.conforms(v, shape) && !others.some((o) => run.conforms(v, o))) fitting++;
          if (bound === 'qualifiedMinCount' ? fitting < n : fitting > n) run.fail(s, focus, constraint);
        },
      };
      return [constraint];
    },
  };
}

export const qualifiedMinCountComponent = qualified('qualifiedMinCount');
export const qualifiedMaxCountComponent = qualified('qualifiedMaxCount');
