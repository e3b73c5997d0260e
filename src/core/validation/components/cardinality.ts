/** SHACL 4.2, cardinality constraint components: sh:minCount, sh:maxCount (property shapes only). */
import { type Constraint, type ConstraintComponent, count, single } from './component.js';

export const minCountComponent: ConstraintComponent = {
  parameters: ['minCount'],
  compile(context) {
    if (!context.isProperty) throw context.error('sh:minCount needs a property shape (one with sh:path)');
    const n = count(context, single(context, 'minCount'), 'minCount');
    const constraint: Constraint = {
      component: 'MinCountConstraintComponent',
      words: { nb: `minst ${n} verdi(er) kreves`, en: `at least ${n} value(s) required` },
      check: (run, shape, focus, values) => {
        if (values.length < n) run.fail(shape, focus, constraint);
      },
    };
    return n === 0 ? [] : [constraint];
  },
};

export const maxCountComponent: ConstraintComponent = {
  parameters: ['maxCount'],
  compile(context) {
    if (!context.isProperty) throw context.error('sh:maxCount needs a property shape (one with sh:path)');
    const n = count(context, single(context, 'maxCount'), 'maxCount');
    const constraint: Constraint = {
      component: 'MaxCountConstraintComponent',
      words: { nb: `høyst ${n} verdi(er) tillatt`, en: `at most ${n} value(s) allowed` },
      check: (run, shape, focus, values) => {
        if (values.length > n) run.fail(shape, focus, constraint);
      },
    };
    return [constraint];
  },
};
