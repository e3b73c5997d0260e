import type { Term } from '@rdfjs/types';
import { XSD } from '../namespaces.js';
import { wellFormed } from './xsd.js';

/**
 * The order of literals that SHACL's value range and property pair components use (SPARQL's `<`):
 * numbers with numbers, strings with strings, booleans, and date-times (or dates) with date-times
 * (dates) that both have a time zone or both have none. Anything else is incomparable, which those
 * components count as a failure.
 */
export interface Ordered {
  /** Values of one kind compare with each other, never with another kind. */
  kind: string;
  value: number | string;
}

const NUMERIC = new Set(
  (
    [
      'integer',
      'decimal',
      'float',
      'double',
      'long',
      'int',
      'short',
      'byte',
      'nonNegativeInteger',
      'positiveInteger',
      'negativeInteger',
      'nonPositiveInteger',
      'unsignedLong',
      'unsignedInt',
      'unsignedShort',
      'unsignedByte',
    ] as const
  ).map(XSD),
);
const TIME_ZONE = /(Z|[+-]\d\d:\d\d)$/;

/** The literal's place in the order, or undefined when it has none (an IRI, an ill-typed literal ...). */
export function ordered(term: Term): Ordered | undefined {
  if (term.termType !== 'Literal' || term.language !== '') return undefined;
  const datatype = term.datatype.value;
  const lexical = term.value;
  if (!wellFormed(lexical, datatype)) return undefined;
  if (NUMERIC.has(datatype)) {
    const n = lexical === 'INF' || lexical === '+INF' ? Infinity : lexical === '-INF' ? -Infinity : Number(lexical);
    return Number.isNaN(n) ? undefined : { kind: 'number', value: n };
  }
  if (datatype === XSD('string')) return { kind: 'string', value: lexical };
  if (datatype === XSD('boolean')) return { kind: 'boolean', value: lexical === 'true' || lexical === '1' ? 1 : 0 };
  if (datatype === XSD('dateTime') || datatype === XSD('date')) {
    const zoned = TIME_ZONE.test(lexical);
    const date = datatype === XSD('date') ? lexical.replace(/^(-?\d+-\d\d-\d\d)/, '$1T00:00:00') : lexical;
    const ms = Date.parse(zoned ? date : date + 'Z');
    return Number.isNaN(ms) ? undefined : { kind: `${datatype}${zoned ? '+tz' : ''}`, value: ms };
  }
  return undefined;
}

/** a compared with b: negative, zero or positive; undefined when they are incomparable. */
export function compareTerms(a: Term, b: Term): number | undefined {
  const x = ordered(a);
  const y = ordered(b);
  if (!x || !y || x.kind !== y.kind) return undefined;
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
}
