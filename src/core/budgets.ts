import type { BlankNode, DataFactory as RdfDataFactory, Literal, NamedNode, Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { KatalogError } from './errors.js';
import { termKey } from './rdf-terms.js';

/**
 * What one request body may cost (README "Bounds"). Every bound is checked while the document is
 * parsed, in the parser's own callbacks, so that work stops at the first bound exceeded instead of
 * after the whole document has been turned into terms.
 */
export interface InputLimits {
  /** Triples in one document. */
  maxTriples: number;
  /** Characters in one IRI. */
  maxIriLength: number;
  /** Characters in one literal. */
  maxLiteralLength: number;
  /** Nesting: JSON arrays and objects, XML elements, Turtle [ ] and ( ). */
  maxDepth: number;
  /** Values of one property on one subject. */
  maxValuesPerProperty: number;
  /**
   * The same for JSON-LD, lower because jsonld.js merges each subject's values with a linear scan
   * per value (quadratic in the values of one property; 2,000 values cost about 0.1 s).
   */
  maxJsonLdValuesPerProperty: number;
  /** @context objects (inline or by URL) anywhere in one JSON-LD document. */
  maxJsonLdContexts: number;
  /** Records (catalogues, datasets, services ...) in one document. */
  maxRecords: number;
  /**
   * Triples of one record a write stores (its own and those of the nodes it owns). A stored record
   * is written and read in one piece on the event loop, so its size is what one write or read of it
   * holds the loop for.
   */
  maxRecordTriples: number;
}

/** Bounds for files an operator loads (data/, katalog load): only what keeps the process whole. */
export const TRUSTED_LIMITS: InputLimits = {
  maxTriples: Number.MAX_SAFE_INTEGER,
  maxIriLength: Number.MAX_SAFE_INTEGER,
  maxLiteralLength: Number.MAX_SAFE_INTEGER,
  maxDepth: 10_000,
  maxValuesPerProperty: Number.MAX_SAFE_INTEGER,
  maxJsonLdValuesPerProperty: Number.MAX_SAFE_INTEGER,
  maxJsonLdContexts: Number.MAX_SAFE_INTEGER,
  maxRecordTriples: Number.MAX_SAFE_INTEGER,
  maxRecords: Number.MAX_SAFE_INTEGER,
};

/**
 * Shortens text quoted back to a client to at most `max` characters, ending in an ellipsis when
 * cut, so that no error echoes a large input (nor grows with it).
 */
export function clip(text: string, max = 120): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // A cut between the halves of a surrogate pair would leave invalid UTF-16.
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

export function tooLarge(message: string, bound: string, limit: number): KatalogError {
  return new KatalogError('payload-too-large', message, { bound, limit });
}

/**
 * Counts what a document costs as its terms and triples are made. One instance per document;
 * each check throws payload-too-large (413) naming the bound, with no more than a clipped quote of
 * the input.
 */
export class InputBudget {
  private triples = 0;
  private readonly values = new Map<string, number>();

  constructor(
    readonly limits: InputLimits,
    private readonly valuesPerProperty = limits.maxValuesPerProperty,
  ) {}

  iri(value: string): void {
    if (value.length > this.limits.maxIriLength) {
      throw tooLarge(
        `An IRI of ${value.length} characters (<${clip(value, 60)}>) is longer than the ${this.limits.maxIriLength} accepted.`,
        'maxIriLength',
        this.limits.maxIriLength,
      );
    }
  }

  literal(value: string): void {
    if (value.length > this.limits.maxLiteralLength) {
      throw tooLarge(
        `A literal of ${value.length} characters ("${clip(value, 40)}") is longer than the ${this.limits.maxLiteralLength} accepted.`,
        'maxLiteralLength',
        this.limits.maxLiteralLength,
      );
    }
  }

  depth(depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw tooLarge(`The document nests deeper than ${this.limits.maxDepth} levels.`, 'maxDepth', this.limits.maxDepth);
    }
  }

  /** Counts one triple, and one more value of its predicate on its subject. */
  triple(subject: Term, predicate: Term): void {
    if (++this.triples > this.limits.maxTriples) {
      throw tooLarge(`The document holds more than ${this.limits.maxTriples} triples, the most accepted in one request.`, 'maxTriples', this.limits.maxTriples);
    }
    this.value(termKey(subject), predicate.value);
  }

  /** Counts one value of `property` on the node `key`. */
  value(key: string, property: string): void {
    const k = key + '\u0000' + property;
    const n = (this.values.get(k) ?? 0) + 1;
    this.values.set(k, n);
    if (n > this.valuesPerProperty) {
      throw tooLarge(
        `<${clip(property, 80)}> has more than ${this.valuesPerProperty} values on one subject, the most accepted in this syntax.`,
        'maxValuesPerProperty',
        this.valuesPerProperty,
      );
    }
  }

  get tripleCount(): number {
    return this.triples;
  }
}

/**
 * An RDF/JS data factory (n3's terms) that charges every term and triple to a budget: parsers
 * given it stop at the first bound, since the error thrown here leaves the parser at once.
 */
export function budgetedFactory(budget: InputBudget): RdfDataFactory {
  return {
    ...DataFactory,
    namedNode: <I extends string>(value: I): NamedNode<I> => {
      budget.iri(value);
      return DataFactory.namedNode(value);
    },
    blankNode: (value?: string): BlankNode => DataFactory.blankNode(value),
    literal: (value: string, languageOrDatatype?: string | NamedNode): Literal => {
      budget.literal(value);
      return DataFactory.literal(value, languageOrDatatype as never);
    },
    quad: (subject: Term, predicate: Term, object: Term, graph?: Term): Quad => {
      budget.triple(subject, predicate);
      return DataFactory.quad(subject as never, predicate as never, object as never, graph as never) as Quad;
    },
  } as unknown as RdfDataFactory;
}
