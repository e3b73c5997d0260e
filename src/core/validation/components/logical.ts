/** SHACL 4.6, logical constraint components: sh:not, sh:and, sh:or, sh:xone. */
import type { Shape } from '../shapes.js';
import { type CompileContext, type ConstraintComponent, eachValue, perParameterValue } from './component.js';

const names = (shapes: Shape[]) => shapes.map((s) => s.owner).join(', ');

export const notComponent: ConstraintComponent = {
  parameters: ['not'],
  compile: (context) =>
    perParameterValue(context, 'not', (value) => {
      const shape = context.shape(value);
      return eachValue(
        'NotConstraintComponent',
        { nb: `verdien skal ikke passe formen ${shape.owner}`, en: `the value must not fit the shape ${shape.owner}` },
        (v, run) => !run.conforms(v, shape),
        [shape],
      );
    }),
};

/** The member shapes of each list value of a list-taking parameter. */
function lists(context: CompileContext, parameter: string): Shape[][] {
  return context.values(parameter).map((head) => context.graph.list(head).map((member) => context.shape(member)));
}

export const andComponent: ConstraintComponent = {
  parameters: ['and'],
  compile: (context) =>
    lists(context, 'and').map((shapes) =>
      eachValue(
        'AndConstraintComponent',
        { nb: `verdien skal passe alle formene ${names(shapes)}`, en: `the value must fit every shape of ${names(shapes)}` },
        (v, run) => shapes.every((s) => run.conforms(v, s)),
        shapes,
      ),
    ),
};

export const orComponent: ConstraintComponent = {
  parameters: ['or'],
  compile: (context) =>
    lists(context, 'or').map((shapes) =>
      eachValue(
        'OrConstraintComponent',
        { nb: `verdien skal passe minst én av formene ${names(shapes)}`, en: `the value must fit at least one of the shapes ${names(shapes)}` },
        (v, run) => shapes.some((s) => run.conforms(v, s)),
        shapes,
      ),
    ),
};

export const xoneComponent: ConstraintComponent = {
  parameters: ['xone'],
  compile: (context) =>
    lists(context, 'xone').map((shapes) =>
      eachValue(
        'XoneConstraintComponent',
        { nb: `verdien skal passe nøyaktig én av formene ${names(shapes)}`, en: `the value must fit exactly one of the shapes ${names(shapes)}` },
        (v, run) => {
          let fits = 0;
          for (const s of shapes) if (run.conforms(v, s) && ++fits > 1) return false;
          return fits === 1;
        },
        shapes,
      ),
    ),
};
