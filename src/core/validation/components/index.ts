/**
 * The registry of SHACL Core constraint components (SHACL section 4), one module per section of
 * the specification: a shape uses each component whose mandatory parameters it has. Validation is
 * a loop over the compiled constraints (engine.ts); nothing else knows a component by name.
 */
import { maxCountComponent, minCountComponent } from './cardinality.js';
import type { ConstraintComponent } from './component.js';
import { andComponent, notComponent, orComponent, xoneComponent } from './logical.js';
import { closedComponent, hasValueComponent, inComponent } from './other.js';
import { disjointComponent, equalsComponent, lessThanComponent, lessThanOrEqualsComponent } from './property-pair.js';
import { nodeComponent, propertyComponent, qualifiedMaxCountComponent, qualifiedMinCountComponent } from './shape-based.js';
import { languageInComponent, maxLengthComponent, minLengthComponent, patternComponent, uniqueLangComponent } from './string-based.js';
import { maxExclusiveComponent, maxInclusiveComponent, minExclusiveComponent, minInclusiveComponent } from './value-range.js';
import { classComponent, datatypeComponent, nodeKindComponent } from './value-type.js';

export const COMPONENTS: readonly ConstraintComponent[] = [
  classComponent,
  datatypeComponent,
  nodeKindComponent,
  minCountComponent,
  maxCountComponent,
  minExclusiveComponent,
  minInclusiveComponent,
  maxExclusiveComponent,
  maxInclusiveComponent,
  minLengthComponent,
  maxLengthComponent,
  patternComponent,
  languageInComponent,
  uniqueLangComponent,
  equalsComponent,
  disjointComponent,
  lessThanComponent,
  lessThanOrEqualsComponent,
  notComponent,
  andComponent,
  orComponent,
  xoneComponent,
  nodeComponent,
  propertyComponent,
  qualifiedMinCountComponent,
  qualifiedMaxCountComponent,
  closedComponent,
  hasValueComponent,
  inComponent,
];

/** Every parameter of a Core component (local names): the sh: terms a shape may use to constrain. */
export const PARAMETERS: ReadonlySet<string> = new Set(COMPONENTS.flatMap((c) => [...c.parameters, ...(c.optional ?? [])]));
