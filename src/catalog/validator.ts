import type { Quad } from '@rdfjs/types';
import { KatalogError } from '../core/errors.js';
import { type Kind, KINDS } from '../core/kinds.js';
import { type SplitBounds, splitIntoRecords } from '../core/records.js';
import { validateGraph, type ValidationResult } from '../core/validation/engine.js';
import type { Profile } from '../core/validation/profiles.js';
import type { ValidationResources } from './resources.js';

export interface RecordValidation {
  /** The record's IRI, or a blank node label when it has none yet. */
  record: string;
  kind: Kind;
  profile: string;
  conforms: boolean;
  results: ValidationResult[];
}

export interface DocumentValidation {
  conforms: boolean;
  records: RecordValidation[];
  /** Records of kinds the chosen profile does not cover: not validated. */
  skipped: Array<{ record: string; kind: Kind }>;
  counts: { violations: number; warnings: number; info: number };
  /** Results counted but left out of `records` (beyond maxResults); 0 when the report is whole. */
  truncated: number;
}

/** How much of a document is validated and reported (a request's bounds; none for trusted files). */
export interface DocumentBounds extends SplitBounds {
  /** Results listed in the report; the rest are counted in `truncated`. */
  maxResults?: number;
}

/** Validates one record's graph against a profile. */
export function validateRecord(quads: Quad[], profile: Profile, resources: ValidationResources) {
  return validateGraph(quads, profile.compiled, resources.vocabularies);
}

/**
 * Validates every record of a document: each against `profileId` when given, otherwise against the
 * default profile of its kind (dcat-ap-no for the DCAT kinds, cpsv-ap-no for services and events).
 * Throws invalid-request when the document holds no record, or none the chosen profile covers, and
 * not-found for an unknown profile.
 */
export function validateDocument(quads: Quad[], resources: ValidationResources, profileId?: string, bounds: DocumentBounds = {}): DocumentValidation {
  const chosen = profileId === undefined ? undefined : resources.profiles.get(profileId);
  if (profileId !== undefined && !chosen) {
    const known = resources.profiles.all().map((p) => p.info.id).join(', ');
    throw new KatalogError('not-found', `There is no profile ${profileId}. The profiles are: ${known}.`);
  }
  const { records } = splitIntoRecords(quads, bounds);
  if (records.length === 0) {
    const classes = KINDS.flatMap((k) => k.classes).join(', ');
    throw new KatalogError('invalid-request', `The document describes no record: nothing in it has one of the types ${classes}.`);
  }
  const report: DocumentValidation = { conforms: true, records: [], skipped: [], counts: { violations: 0, warnings: 0, info: 0 }, truncated: 0 };
  let room = bounds.maxResults ?? Infinity;
  for (const record of records) {
    const name = record.root.termType === 'BlankNode' ? `_:${record.root.value}` : record.root.value;
    const profile = chosen ?? resources.profiles.defaultFor(record.kind.kind);
    if (!profile || !profile.info.kinds.includes(record.kind.kind)) {
      report.skipped.push({ record: name, kind: record.kind.kind });
      continue;
    }
    const { conforms, results: all } = validateRecord(record.quads, profile, resources);
    // Violations first, so that a cut report still says why the document does not conform.
    const results = all.length <= room ? all : [...all.filter((r) => r.severity === 'Violation'), ...all.filter((r) => r.severity !== 'Violation')].slice(0, room);
    report.truncated += all.length - results.length;
    room -= results.length;
    report.records.push({ record: name, kind: record.kind.kind, profile: profile.info.id, conforms, results });
    report.conforms &&= conforms;
    for (const r of all) {
      if (r.severity === 'Violation') report.counts.violations++;
      else if (r.severity === 'Warning') report.counts.warnings++;
      else report.counts.info++;
    }
  }
  if (report.records.length === 0) {
    const found = [...new Set(report.skipped.map((s) => s.kind))].join(', ');
    throw new KatalogError('invalid-request', `Profile ${chosen!.info.id} validates ${chosen!.info.kinds.join(', ')}; the document holds ${found}.`);
  }
  return report;
}
