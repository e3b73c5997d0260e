import type { Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import type { ValidationResult } from '../core/validation/engine.js';
import type { DocumentValidation } from './validator.js';

/**
 * Validation reports as plain data, so that they cross from a worker thread (structured clone
 * keeps no class: n3's terms would lose their termType). Messages are composed on the way out.
 */
export interface PlainTerm {
  termType: 'NamedNode' | 'BlankNode' | 'Literal';
  value: string;
  language?: string;
  datatype?: string;
}

export type PlainResult = Omit<ValidationResult, 'focusNode' | 'value' | 'shape'> & {
  focusNode: PlainTerm;
  value?: PlainTerm;
  shape: PlainTerm;
};

export type PlainValidation = Omit<DocumentValidation, 'records' | 'unattached'> & {
  records: Array<Omit<DocumentValidation['records'][number], 'results'> & { results: PlainResult[] }>;
  unattached: Array<Omit<DocumentValidation['unattached'][number], 'results'> & { results: PlainResult[] }>;
};

function plainTerm(term: Term): PlainTerm {
  if (term.termType === 'Literal') return { termType: 'Literal', value: term.value, language: term.language, datatype: term.datatype.value };
  return { termType: term.termType as 'NamedNode' | 'BlankNode', value: term.value };
}

function termOf(plain: PlainTerm): Term {
  if (plain.termType === 'NamedNode') return DataFactory.namedNode(plain.value);
  if (plain.termType === 'BlankNode') return DataFactory.blankNode(plain.value);
  return DataFactory.literal(plain.value, plain.language || (plain.datatype ? DataFactory.namedNode(plain.datatype) : undefined));
}

function plainResult(r: ValidationResult): PlainResult {
  return {
    focusNode: plainTerm(r.focusNode),
    path: r.path,
    ...(r.resultPath !== undefined ? { resultPath: r.resultPath } : {}),
    ...(r.severityIri ? { severityIri: r.severityIri } : {}),
    ...(r.value ? { value: plainTerm(r.value) } : {}),
    severity: r.severity,
    component: r.component,
    sourceShape: r.sourceShape,
    shape: plainTerm(r.shape),
    messages: { nb: r.messages.nb, en: r.messages.en },
  };
}

function resultOf(r: PlainResult): ValidationResult {
  return { ...r, focusNode: termOf(r.focusNode), value: r.value && termOf(r.value), shape: termOf(r.shape) };
}

export function toPlainValidation(report: DocumentValidation): PlainValidation {
  return {
    ...report,
    records: report.records.map((record) => ({ ...record, results: record.results.map(plainResult) })),
    unattached: report.unattached.map((group) => ({ ...group, results: group.results.map(plainResult) })),
  };
}

export function fromPlainValidation(report: PlainValidation): DocumentValidation {
  return {
    ...report,
    records: report.records.map((record) => ({ ...record, results: record.results.map(resultOf) })),
    unattached: report.unattached.map((group) => ({ ...group, results: group.results.map(resultOf) })),
  };
}
