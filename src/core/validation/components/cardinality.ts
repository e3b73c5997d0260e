/** SHACL 4.2, cardinality constraint components: sh:minCount, sh:maxCount (property shapes only). */
import { type Constraint, type ConstraintComponent, count, single } from './component.js';

function cardinality(parameter: 'minCount' | 'maxCount'): ConstraintComponent {
  const min = parameter === 'minCount';
  return {
    parameters: [parameter],
    compile(context) {
      if (!context.isProperty) throw context.error(`sh:${parameter} needs a property shape (one with sh:path)`);
      const n = count(context, single(context, parameter), parameter);
      const constraint: Constraint = {
        component: min ? 'MinCountConstraintComponent' : 'MaxCountConstraintComponent',
        words: min
          ? { nb: `minst ${n} verdi(er) kreves`, en: `at least ${n} value(s) required` }
          : { nb: `høyst ${n} verdi(er) tillatt`, en: `at most ${n} value(s) allowed` },
        check: (run, shape, focus, values) => {
          if (min ? values.length < n : values.length > n) run.fail(shape, focus, constraint);
        },
      };
      // sh:minCount 0 asks nothing.
      return min && n === 0 ? [] : [constraint];
    },
  };
}

export const minCountComponent = cardinality('minCount');
export const maxCountComponent = cardinality('maxCount');
