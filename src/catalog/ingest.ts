import { createHash } from 'node:crypto';
import type { Quad } from '@rdfjs/types';
import { KatalogError } from '../core/errors.js';
import type { Kind } from '../core/kinds.js';
import { describeRecord, mintBlankRoots, type RecordGraph, relabelBlankNodes, splitIntoRecords } from '../core/records.js';
import type { ValidationResult } from '../core/validation/engine.js';
import { unrepresentable } from '../core/serialize/representable.js';
import { renderRepresentations } from '../core/serialize/representations.js';
import type { RecordInput } from '../store/store.js';
import { recordId, recordUrl, uuidFrom } from './record-ids.js';

/** A record refused by validation, with its results (violations and the rest). */
export interface RejectedRecord {
  iri: string;
  kind: Kind;
  profile: string;
  results: ValidationResult[];
}

/** Validates one record; undefined when no profile covers its kind. */
export type RecordValidator = (record: RecordGraph) => { profile: string; conforms: boolean; results: ValidationResult[] } | undefined;

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
 * Turns a parsed document into records ready for the store: blank nodes get labels unique to this
 * document (`seed` decides them, so the same document always gives the same labels and minted
 * IRIs), blank-node record roots get IRIs PUBLIC_BASE_URL/{segment}/{uuid}, the graph is split into
 * records, and each record's bookkeeping and representations are computed.
 */
export function prepareDocument(quads: Quad[], baseUrl: string, seed: string, validate?: RecordValidator): PreparedDocument {
  const tag = 'k' + createHash('sha256').update(seed).digest('hex').slice(0, 10) + 'b';
  const labelled = relabelBlankNodes(quads, tag);
  const minted = mintBlankRoots(labelled, (kind, label) => recordUrl(kind, uuidFrom(seed + '\n' + label), baseUrl));
  const { records, remainder, sharedBlankNodes } = splitIntoRecords(minted);
  const seen = new Map<string, Kind>();
  const rejected: RejectedRecord[] = [];
  const accepted = records.filter((record) => {
    const verdict = validate?.(record);
    if (verdict && !verdict.conforms) {
      rejected.push({ iri: record.root.value, kind: record.kind.kind, profile: verdict.profile, results: verdict.results });
      return false;
    }
    // What a served syntax cannot carry would break whole catalogues in that syntax: not stored.
    const problem = unrepresentable(record.quads);
    if (problem) rejected.push({ iri: record.root.value, kind: record.kind.kind, profile: verdict?.profile ?? '', results: [unrepresentableResult(record, problem)] });
    return !problem;
  });
  const inputs = accepted.map((record) => {
    const iri = record.root.value;
    if (seen.has(iri)) throw new KatalogError('invalid-request', `<${iri}> is typed as two kinds of record.`);
    seen.set(iri, record.kind.kind);
    const { publisher, organisation, members } = describeRecord(record);
    return {
      iri,
      kind: record.kind.kind,
      id: recordId(iri, record.kind, baseUrl),
      publisher,
      organisation,
      members,
      ...renderRepresentations(record.quads, record.root, sharedBlankNodes),
    };
  });
  return { records: inputs, rejected, remainder };
}
