import { createHash } from 'node:crypto';
import type { Quad } from '@rdfjs/types';
import { KatalogError } from '../core/errors.js';
import type { Kind, KindInfo } from '../core/kinds.js';
import type { RecordGraph } from '../core/records.js';
import type { QualityIndex } from '../core/quality.js';
import type { ValidationResult } from '../core/validation/engine.js';
import type { RecordInput } from '../store/store.js';
import { prepareRecord, recordsOf } from './record-pipeline.js';
import { recordUrl, uuidFrom } from './record-ids.js';

/** A record refused by validation, with its results (violations and the rest). */
export interface RejectedRecord {
  iri: string;
  kind: Kind;
  profile: string;
  results: ValidationResult[];
}

/** Validates one record; undefined when no profile covers its kind. */
export type RecordValidator = (record: RecordGraph) => { profile: string; conforms: boolean; results: ValidationResult[] } | undefined;

/** A record's quality score for the search index (docs/quality.md), given its validation; undefined: none (not a dataset). */
export type RecordAssessor = (record: RecordGraph, verdict: ReturnType<RecordValidator>) => QualityIndex | undefined;

export interface PreparedDocument {
  records: RecordInput[];
  /** Records with violations: not in `records`. */
  rejected: RejectedRecord[];
  /** Triples that belong to no record; they are not stored. */
  remainder: Quad[];
}

/** A record's unrepresentable value as a result of its own, so the loader reports it as it reports violations. */
function unrepresentableResult(record: RecordGraph, problem: string): ValidationResult {
  return {
    focusNode: record.root,
    path: '',
    severity: 'Violation',
    component: 'Unrepresentable',
    sourceShape: '',
    shape: record.root,
    messages: { nb: `Kan ikke lagres: ${problem}`, en: `Cannot be stored: ${problem}` },
  };
}

/**
 * Turns a parsed document into records ready for the store (the record pipeline,
 * record-pipeline.ts): blank nodes get labels unique to this document (`seed` decides them, so the
 * same document always gives the same labels and minted IRIs), blank-node record roots get IRIs
 * PUBLIC_BASE_URL/{segment}/{uuid}. Records with violations, or values a served syntax cannot carry,
 * are rejected with their results.
 */
export function prepareDocument(quads: Quad[], baseUrl: string, seed: string, validate?: RecordValidator, assess?: RecordAssessor): PreparedDocument {
  const labelPrefix = 'k' + createHash('sha256').update(seed).digest('hex').slice(0, 10) + 'b';
  const mint = (kind: KindInfo, label: string) => recordUrl(kind, uuidFrom(seed + '\n' + label), baseUrl);
  const { records, remainder, sharedBlankNodes } = recordsOf(quads, { labelPrefix, mint });
  const seen = new Map<string, Kind>();
  const rejected: RejectedRecord[] = [];
  const inputs: RecordInput[] = [];
  for (const record of records) {
    const verdict = validate?.(record);
    if (verdict && !verdict.conforms) {
      rejected.push({ iri: record.root.value, kind: record.kind.kind, profile: verdict.profile, results: verdict.results });
      continue;
    }
    const prepared = prepareRecord(record, baseUrl, sharedBlankNodes);
    // What a served syntax cannot carry would break whole catalogues in that syntax: not stored.
    if (prepared.unrepresentable) {
      rejected.push({
        iri: prepared.iri,
        kind: prepared.kind,
        profile: verdict?.profile ?? '',
        results: [unrepresentableResult(record, prepared.unrepresentable)],
      });
      continue;
    }
    if (seen.has(prepared.iri)) throw new KatalogError('invalid-request', `<${prepared.iri}> is typed as two kinds of record.`);
    seen.set(prepared.iri, prepared.kind);
    const quality = assess?.(record, verdict);
    if (quality) prepared.search.quality = quality;
    const { representations, unrepresentable: _none, ...bookkeeping } = prepared;
    inputs.push({ ...bookkeeping, ...representations });
  }
  return { records: inputs, rejected, remainder };
}
