/** SHACL 4.8, other constraint components: sh:closed (with sh:ignoredProperties), sh:hasValue, sh:in. */
import { SHACL } from '../../namespaces.js';
import { termKey } from '../../rdf-terms.js';
import { type Constraint, type ConstraintComponent, display, eachValue, isTrue, perParameterValue, single } from './component.js';

/**
 * sh:closed true: every triple of a value node has a predicate that is the sh:path of one of the
 * shape's property shapes (predicate paths only) or one of sh:ignoredProperties. A result per
 * triple that is not, with the predicate as result path and the object as value.
 */
export const closedComponent: ConstraintComponent = {
  parameters: ['closed'],
  optional: ['ignoredProperties'],
  compile(context) {
    if (!isTrue(single(context, 'closed'))) return [];
    const allowed = new Set<string>();
    for (const p of context.values('property')) {
      const path = context.graph.one(p, SHACL('path'));
      if (path?.termType === 'NamedNode') allowed.add(path.value);
    }
    for (const list of context.values('ignoredProperties')) for (const p of context.graph.list(list)) allowed.add(p.value);
    const constraint: Constraint = {
      component: 'ClosedConstraintComponent',
      words: { nb: 'noden har en egenskap formen ikke tillater', en: 'the node has a property the shape does not allow' },
      check(run, shape, focus, values) {
        for (const v of values) {
          for (const [predicate, objects] of run.data.predicates(v)) {
            if (allowed.has(predicate)) continue;
            for (const o of objects) {
              run.fail(shape, focus, constraint, o, predicate);
              if (run.stopped) return;
            }
          }
        }
      },
    };
    return [constraint];
  },
};

export const hasValueComponent: ConstraintComponent = {
  parameters: ['hasValue'],
  compile: (context) =>
    perParameterValue(context, 'hasValue', (wanted) => {
      const constraint: Constraint = {
        component: 'HasValueConstraintComponent',
        words: { nb: `verdien ${display(wanted)} kreves`, en: `the value ${display(wanted)} is required` },
        check(run, shape, focus, values) {
          if (!values.some((v) => v.equals(wanted))) run.fail(shape, focus, constraint);
        },
      };
      return constraint;
    }),
};

export const inComponent: ConstraintComponent = {
  parameters: ['in'],
  compile: (context) =>
    perParameterValue(context, 'in', (list) => {
      const members = context.graph.list(list);
      const allowed = new Set(members.map(termKey));
      const shown = members.slice(0, 10).map(display).join(', ') + (members.length > 10 ? ', ...' : '');
      return eachValue('InConstraintComponent', { nb: `verdien skal være en av ${shown}`, en: `the value must be one of ${shown}` }, (v) =>
        allowed.has(termKey(v)),
      );
    }),
};
