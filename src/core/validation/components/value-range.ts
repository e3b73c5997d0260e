/** SHACL 4.3, value range constraint components: sh:minExclusive, sh:minInclusive, sh:maxExclusive, sh:maxInclusive. */
import type { Term } from '@rdfjs/types';
import { compareTerms } from '../literal-order.js';
import { type ConstraintComponent, display, eachValue, perParameterValue } from './component.js';

/** A value range component: the value compared with the bound must satisfy `holds`; incomparable values fail. */
function range(parameter: string, component: string, holds: (comparison: number) => boolean, nb: string, en: string): ConstraintComponent {
  return {
    parameters: [parameter],
    compile: (context) =>
      perParameterValue(context, parameter, (bound: Term) =>
        eachValue(component, { nb: `verdien skal være ${nb} ${display(bound)}`, en: `the value must be ${en} ${display(bound)}` }, (v) => {
          const c = compareTerms(v, bound);
          return c !== undefined && holds(c);
        }),
      ),
  };
}

export const minExclusiveComponent = range('minExclusive', 'MinExclusiveConstraintComponent', (c) => c > 0, 'større enn', 'greater than');
export const minInclusiveComponent = range('minInclusive', 'MinInclusiveConstraintComponent', (c) => c >= 0, 'minst', 'at least');
export const maxExclusiveComponent = range('maxExclusive', 'MaxExclusiveConstraintComponent', (c) => c < 0, 'mindre enn', 'less than');
export const maxInclusiveComponent = range('maxInclusive', 'MaxInclusiveConstraintComponent', (c) => c <= 0, 'høyst', 'at most');
