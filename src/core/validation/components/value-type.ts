/** SHACL 4.1, value type constraint components: sh:class, sh:datatype, sh:nodeKind. */
import type { Term } from '@rdfjs/types';
import { RDF, SHACL } from '../../namespaces.js';
import { wellFormed } from '../xsd.js';
import { type ConstraintComponent, eachValue, perParameterValue, single } from './component.js';

const NODE_KINDS: Record<string, (t: Term) => boolean> = {
  IRI: (t) => t.termType === 'NamedNode',
  BlankNode: (t) => t.termType === 'BlankNode',
  Literal: (t) => t.termType === 'Literal',
  BlankNodeOrIRI: (t) => t.termType === 'NamedNode' || t.termType === 'BlankNode',
  BlankNodeOrLiteral: (t) => t.termType === 'BlankNode' || t.termType === 'Literal',
  IRIOrLiteral: (t) => t.termType === 'NamedNode' || t.termType === 'Literal',
};

const NODE_KIND_WORDS: Record<string, { nb: string; en: string }> = {
  IRI: { nb: 'en IRI', en: 'an IRI' },
  BlankNode: { nb: 'en blank node', en: 'a blank node' },
  Literal: { nb: 'en litteral', en: 'a literal' },
  BlankNodeOrIRI: { nb: 'en IRI eller blank node', en: 'an IRI or a blank node' },
  BlankNodeOrLiteral: { nb: 'en blank node eller litteral', en: 'a blank node or a literal' },
  IRIOrLiteral: { nb: 'en IRI eller litteral', en: 'an IRI or a literal' },
};

export const classComponent: ConstraintComponent = {
  parameters: ['class'],
  compile: (context) =>
    perParameterValue(context, 'class', (cls) =>
      eachValue(
        'ClassConstraintComponent',
        { nb: `verdien skal være av klassen <${cls.value}>`, en: `the value must be of class <${cls.value}>` },
        (v, run) => v.termType !== 'Literal' && run.data.isInstance(v, cls.value),
      ),
    ),
};

export const datatypeComponent: ConstraintComponent = {
  parameters: ['datatype'],
  compile(context) {
    const datatype = single(context, 'datatype').value;
    const words = { nb: `verdien skal være en litteral av datatypen <${datatype}>`, en: `the value must be a literal of datatype <${datatype}>` };
    if (datatype === RDF('langString')) return [eachValue('DatatypeConstraintComponent', words, (v) => v.termType === 'Literal' && v.language !== '')];
    return [
      eachValue(
        'DatatypeConstraintComponent',
        words,
        (v) => v.termType === 'Literal' && v.language === '' && v.datatype.value === datatype && wellFormed(v.value, datatype),
      ),
    ];
  },
};

export const nodeKindComponent: ConstraintComponent = {
  parameters: ['nodeKind'],
  compile(context) {
    const kind = single(context, 'nodeKind');
    const local = kind.value.startsWith(SHACL('')) ? kind.value.slice(SHACL('').length) : '';
    const holds = NODE_KINDS[local];
    if (!holds || kind.termType !== 'NamedNode') throw context.error(`sh:nodeKind ${kind.value} is not one of SHACL's node kinds`);
    const words = NODE_KIND_WORDS[local]!;
    return [eachValue('NodeKindConstraintComponent', { nb: `verdien skal være ${words.nb}`, en: `the value must be ${words.en}` }, holds)];
  },
};
