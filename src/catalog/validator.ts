import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { tooLarge } from '../core/budgets.js';
import { KatalogError } from '../core/errors.js';
import { type Kind, KINDS } from '../core/kinds.js';
import { RDF_TYPE } from '../core/namespaces.js';
import { type SplitBounds, splitIntoRecords } from '../core/records.js';
import { nodeLabel } from '../core/rdf-terms.js';
import { DataGraph } from '../core/validation/data-graph.js';
import { focusNodes, validateGraph, type ValidationResult } from '../core/validation/engine.js';
import { NO_FOCUS_NODE } from '../core/validation/report.js';
import type { Profile } from '../core/validation/profiles.js';
import type { CompiledShapes } from '../core/validation/shapes.js';
import type { VocabularyIndex } from '../core/vocabularies.js';
import type { ValidationResources } from './resources.js';

export interface RecordValidation {
  /** The record's IRI, or a blank node label when it has none yet. */
  record: string;
  kind: Kind;
  profile: string;
  conforms: boolean;
  results: ValidationResult[];
}

/**
 * A node that a profile's shapes target but that no record reaches (a dcat:Distribution or a
 * foaf:Agent on its own): validated as SHACL would, and reported in a group of its own.
 */
export interface NodeValidation {
  /** The node's IRI, or `_:label` for a blank node. */
  node: string;
  /** Its rdf:type values (the classes it is targeted by among them). */
  types: string[];
  profile: string;
  conforms: boolean;
  results: ValidationResult[];
}

export interface DocumentValidation {
  conforms: boolean;
  records: RecordValidation[];
  /** Targeted nodes that are part of no record ("not part of any record"). */
  unattached: NodeValidation[];
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

/**
 * What a report lists of its results (MAX_REPORT_RESULTS): every result is counted, at most `room`
 * are listed over the whole report, violations first, so that a cut report still says why the
 * document does not conform; `truncated` counts those left out.
 */
export class ResultBudget {
  readonly counts = { violations: 0, warnings: 0, info: 0 };
  truncated = 0;

  constructor(private room = Infinity) {}

  /** The results of one group to list, after counting them all. */
  take(all: ValidationResult[]): ValidationResult[] {
    for (const r of all) {
      if (r.severity === 'Violation') this.counts.violations++;
      else if (r.severity === 'Warning') this.counts.warnings++;
      else this.counts.info++;
    }
    const results =
      all.length <= this.room ? all : [...all.filter((r) => r.severity === 'Violation'), ...all.filter((r) => r.severity !== 'Violation')].slice(0, this.room);
    this.truncated += all.length - results.length;
    this.room -= results.length;
    return results;
  }
}

/** Every result of a report: its records' and its unattached nodes'. */
export function documentResults(report: Pick<DocumentValidation, 'records' | 'unattached'>): ValidationResult[] {
  return [...report.records, ...report.unattached].flatMap((group) => group.results);
}

/** Validates one record's graph against a profile. */
export function validateRecord(quads: Quad[], profile: Profile, resources: ValidationResources) {
  return validateGraph(quads, profile.compiled, resources.vocabularies);
}

/**
 * Validates a document as SHACL does, every node the profiles' shapes target: each record against
 * `profileId` when given, otherwise against the default profile of its kind (dcat-ap-no for the DCAT
 * kinds, cpsv-ap-no for services and events), and the targeted nodes that no record reaches in a
 * group of their own (`unattached`). A document in which nothing is targeted gets one Info result
 * saying so. Throws invalid-request when it holds only records the chosen profile does not cover,
 * and not-found for an unknown profile.
 */
export function validateDocument(
  quads: Quad[],
  resources: ValidationResources,
  profileId?: string,
  bounds: DocumentBounds = {},
  /** The document already split into records (splitIntoRecords of `quads` with `bounds`), when the caller has it. */
  split?: ReturnType<typeof splitIntoRecords>,
): DocumentValidation {
  const chosen = profileId === undefined ? undefined : resources.profiles.get(profileId);
  if (profileId !== undefined && !chosen) {
    const known = resources.profiles
      .all()
      .map((p) => p.info.id)
      .join(', ');
    throw new KatalogError('not-found', `There is no profile ${profileId}. The profiles are: ${known}.`);
  }
  const { records, remainder } = split ?? splitIntoRecords(quads, bounds);
  const budget = new ResultBudget(bounds.maxResults);
  const report: DocumentValidation = { conforms: true, records: [], unattached: [], skipped: [], counts: budget.counts, truncated: 0 };
  for (const record of records) {
    const name = nodeLabel(record.root);
    const profile = chosen ?? resources.profiles.defaultFor(record.kind.kind);
    if (!profile || !profile.info.kinds.includes(record.kind.kind)) {
      report.skipped.push({ record: name, kind: record.kind.kind });
      continue;
    }
    const { conforms, results } = validateRecord(record.quads, profile, resources);
    report.records.push({ record: name, kind: record.kind.kind, profile: profile.info.id, conforms, results: budget.take(results) });
    report.conforms &&= conforms;
  }
  const unattached = validateUnattached(remainder, resources, chosen, records.length, bounds.maxRecords ?? Infinity);
  for (const group of unattached) {
    report.unattached.push({ ...group, results: budget.take(group.results) });
    report.conforms &&= group.conforms;
  }
  if (report.records.length === 0 && report.unattached.length === 0) {
    if (report.skipped.length > 0) {
      const found = [...new Set(report.skipped.map((s) => s.kind))].join(', ');
      throw new KatalogError('invalid-request', `Profile ${chosen!.info.id} validates ${chosen!.info.kinds.join(', ')}; the document holds ${found}.`);
    }
    const profile = chosen ?? resources.profiles.defaultFor('dataset')!;
    const first = quads[0];
    if (!first) throw new KatalogError('invalid-request', 'The document holds no triples: send an RDF document.');
    const classes = [...new Set(profile.compiled.targeted.flatMap((shape) => shape.targets.classes))];
    report.unattached.push({
      node: nodeLabel(first.subject),
      types: typesOf(quads, first.subject),
      profile: profile.info.id,
      conforms: true,
      results: budget.take([nothingTargeted(first.subject, profile, classes)]),
    });
  }
  report.truncated = budget.truncated;
  return report;
}
const typesOf = (quads: Quad[], node: Term) => [
  ...new Set(quads.filter((q) => q.predicate.value === RDF_TYPE && q.subject.equals(node)).map((q) => q.object.value)),
];

/**
 * The nodes of `remainder` (triples that belong to no record) that a profile's shapes target (by
 * class, node, subjects or objects of a property), each validated with the nodes it owns: with
 * `chosen`, against it; otherwise against the first default profile (DCAT-AP-NO's, then
 * CPSV-AP-NO's) whose shapes target it. Together with `records` records, at most `maxRecords` (413).
 */
export function validateUnattached(
  remainder: Quad[],
  resources: ValidationResources,
  chosen: Profile | undefined,
  records: number,
  maxRecords: number,
): NodeValidation[] {
  if (remainder.length === 0) return [];
  const candidates = chosen ? [chosen] : [...new Set(KINDS.map((k) => resources.profiles.defaultFor(k.kind)).filter((p): p is Profile => p !== undefined))];
  const data = new DataGraph(remainder);
  const assigned = new Map<string, { term: Term; profile: Profile }>();
  // Nodes outside records count with the records towards MAX_RECORDS (each is a group of the report).
  const maxNodes = maxRecords - records;
  for (const profile of candidates) {
    for (const nodes of focusNodes(data, profile.compiled).values()) {
      for (const node of nodes) {
        const key = nodeLabel(node);
        if (assigned.has(key)) continue;
        assigned.set(key, { term: node, profile });
        if (assigned.size > maxNodes) {
          throw tooLarge(
            `The document has more than ${maxNodes} targeted nodes outside its records; with its records, at most ${maxRecords} are accepted in one request.`,
            'maxRecords',
            maxRecords,
          );
        }
      }
    }
  }
  const groups: NodeValidation[] = [];
  for (const profile of candidates) {
    const nodes = [...assigned].filter(([, a]) => a.profile === profile);
    if (nodes.length === 0) continue;
    // One validation of the remainder per profile, its results handed to the targeted node they are about.
    const { results } = validateGraph(data, profile.compiled, resources.vocabularies);
    const of = new Map<string, ValidationResult[]>(nodes.map(([key]) => [key, []]));
    for (const r of results) of.get(nodeLabel(r.focusNode))?.push(r);
    for (const [key, { term }] of nodes) {
      const mine = of.get(key)!;
      groups.push({
        node: key,
        types: [...(data.typesOf(term) ?? [])],
        profile: profile.info.id,
        conforms: !mine.some((r) => r.severity === 'Violation'),
        results: mine,
      });
    }
  }
  return groups;
}

/** The Info result of a document in which no node has a class the profile's shapes target. */
function nothingTargeted(focusNode: Term, profile: Profile, classes: string[]): ValidationResult {
  const list =
    classes
      .slice(0, 8)
      .map((c) => `<${c}>`)
      .join(', ') + (classes.length > 8 ? ', ...' : '');
  return {
    focusNode,
    path: '',
    severity: 'Info',
    component: NO_FOCUS_NODE,
    sourceShape: `urn:katalog:profile:${profile.info.id}`,
    shape: DataFactory.namedNode(`urn:katalog:profile:${profile.info.id}`),
    messages: {
      nb: `Ingen node i dokumentet har en klasse som profilen ${profile.info.id} validerer (${list}): ingenting ble validert.`,
      en: `No node in the document has a class that profile ${profile.info.id} validates (${list}): nothing was validated.`,
    },
  };
}

/** A shapes graph brought by the user instead of a profile (katalog validate --shapes). */
export interface CustomShapes {
  /** How reports name it (the files it was read from). */
  name: string;
  compiled: CompiledShapes;
}

/**
 * Validates a whole document against any SHACL Core shapes graph, as a SHACL processor does (one
 * data graph, every target), then groups the results as validateDocument does: by the record the
 * focus node belongs to, and the other focus nodes each in a group of their own. Records with no
 * result are listed too (conforming). `conforms` is Katalog's verdict (no Violation); see
 * shaclConforms for SHACL's.
 */
export function validateWithShapes(quads: Quad[], shapes: CustomShapes, vocabularies: VocabularyIndex, bounds: DocumentBounds = {}): DocumentValidation {
  const { records } = splitIntoRecords(quads, bounds);
  const data = new DataGraph(quads);
  const { results } = validateGraph(data, shapes.compiled, vocabularies);
  const recordOf = new Map<string, RecordValidation>();
  const report: DocumentValidation = {
    conforms: true,
    records: [],
    unattached: [],
    skipped: [],
    counts: { violations: 0, warnings: 0, info: 0 },
    truncated: 0,
  };
  for (const record of records) {
    const group: RecordValidation = { record: nodeLabel(record.root), kind: record.kind.kind, profile: shapes.name, conforms: true, results: [] };
    report.records.push(group);
    for (const q of record.quads) if (!recordOf.has(nodeLabel(q.subject))) recordOf.set(nodeLabel(q.subject), group);
  }
  const nodes = new Map<string, NodeValidation>();
  for (const r of results) {
    const key = nodeLabel(r.focusNode);
    let group: RecordValidation | NodeValidation | undefined = recordOf.get(key) ?? nodes.get(key);
    if (!group) {
      const node: NodeValidation = { node: key, types: [...(data.typesOf(r.focusNode) ?? [])], profile: shapes.name, conforms: true, results: [] };
      nodes.set(key, node);
      report.unattached.push(node);
      group = node;
    }
    group.results.push(r);
  }
  const budget = new ResultBudget(bounds.maxResults);
  for (const group of [...report.records, ...report.unattached]) {
    group.conforms = !group.results.some((r) => r.severity === 'Violation');
    group.results = budget.take(group.results);
    report.conforms &&= group.conforms;
  }
  report.counts = budget.counts;
  report.truncated = budget.truncated;
  return report;
}

/** SHACL's own verdict on a report (sh:conforms): true only when there is no result of any severity. */
export function shaclConforms(report: Pick<DocumentValidation, 'counts'>): boolean {
  const { violations, warnings, info } = report.counts;
  return violations + warnings + info === 0;
}
