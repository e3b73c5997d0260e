import { createHash } from 'node:crypto';
import type { InputLimits } from '../core/budgets.js';
import { rdfXmlPart } from '../core/documents.js';
import type { Kind } from '../core/kinds.js';
import type { FormatId } from '../core/media-types.js';
import { parseRdf } from '../core/parse.js';
import type { ValidationResources } from './resources.js';
import { renderRepresentations, type Representations, triplesOf } from '../core/serialize/representations.js';
import { documentReportJson, type Language, reportQuads } from '../core/validation/report.js';
import { documentResults, validateDocument } from './validator.js';
import { type QualityReport, qualityQuads, storedQualityReport } from './quality.js';
import { type PreparedWrite, prepareWrite } from './writes.js';
import type { PageLanguage } from './property-labels.js';
import type { VocabularyIndex } from '../core/vocabularies.js';
import { type LinkedRecord, recordView, type RecordView } from './record-view.js';
import { localPath } from './record-ids.js';

/** What is the same for every request body of one server: where IRIs resolve, the bounds. */
export interface BodySettings {
  baseUrl: string;
  knownContexts: Record<string, unknown>;
  limits: InputLimits;
  maxReportResults: number;
}

/**
 * A document to parse: text, or the request's bytes as they came (UTF-8), which go to a worker
 * thread without a copy and are decoded there (see WorkerPool).
 */
export type Body = string | Uint8Array;

/** The CPU-bound part of a request with an RDF body: parse, split, validate, render. */
export type BodyTask =
  | {
      task: 'validate';
      body: Body;
      format: FormatId;
      profileId?: string;
      /** The report as JSON (in `language`) or as RDF (sh:ValidationReport), rendered with the validation. */
      answer: 'json' | 'rdf';
      language?: Language;
    }
  | { task: 'rdfxml'; nt: string }
  /** A stored record's page model (record-view.ts), from its N-Triples and the records it links to. */
  | { task: 'view'; nt: string; iri: string; kind: Kind; lang: PageLanguage; linked: Array<[string, LinkedRecord]> }
  /** A stored dataset's quality report (docs/quality.md), from its N-Triples. */
  | { task: 'quality'; nt: string; iri: string; url: string; modified?: string }
  /** A quality report as DQV (some thousands of triples), rendered. */
  | { task: 'quality-rdf'; report: QualityReport }
  | { task: 'write'; body: Body; format: FormatId; kind: Kind; id?: string; profileId?: string; target: string; labelPrefix: string };

const utf8 = new TextDecoder('utf-8');

/** The text of a body; bytes are read as UTF-8 (a leading byte order mark dropped, bad bytes as U+FFFD). */
export function bodyText(body: Body): string {
  return typeof body === 'string' ? body : utf8.decode(body);
}

/** The size of a body: characters or bytes. */
export function bodySize(body: Body): number {
  return typeof body === 'string' ? body.length : body.byteLength;
}

/**
 * A validation's verdict and its report, rendered where it was made (in a worker: a report of
 * 1,000 results is close to 1 MB of JSON, too much to build and serialise in the event loop).
 */
export interface ValidationOutcome {
  conforms: boolean;
  /** answer 'json': the report (documentReportJson), serialised. */
  json?: string;
  /** answer 'rdf': the sh:ValidationReport, and a tag of its content (for the ETag). */
  rdfReport?: Representations;
  rdfTag?: string;
}

/** What a body task gives back (by task: validate, write, view, quality, rdfxml). */
export type BodyOutcome = ValidationOutcome | PreparedWrite | RecordView | QualityReport | Representations | string;

/**
 * Does one body task. Pure apart from the resources it reads, so it runs in a worker thread (or in
 * this one, see work-pool.ts); every bound of `settings.limits` is enforced on the way (413).
 */
export async function performBodyTask(task: BodyTask, settings: BodySettings, resources: ValidationResources): Promise<BodyOutcome> {
  // A stored record's RDF/XML, written from its N-Triples (large ones are written here, not in the event loop).
  if (task.task === 'rdfxml') return rdfXmlPart(task.nt);
  if (task.task === 'view') return viewOf(task, settings.baseUrl, resources.vocabularies);
  if (task.task === 'quality') return storedQualityReport(task, resources);
  if (task.task === 'quality-rdf') return renderRepresentations(qualityQuads(task.report, settings.baseUrl));
  const quads = await parseRdf(bodyText(task.body), task.format, {
    baseIRI: settings.baseUrl + '/',
    knownContexts: settings.knownContexts,
    limits: settings.limits,
  });
  const bounds = { maxRecords: settings.limits.maxRecords, maxCopiedTriples: 2 * settings.limits.maxTriples, maxResults: settings.maxReportResults };
  if (task.task === 'validate') {
    const report = validateDocument(quads, resources, task.profileId, bounds);
    if (task.answer === 'rdf') {
      const rdfReport = renderRepresentations(reportQuads(report.conforms, documentResults(report)));
      return { conforms: report.conforms, rdfReport, rdfTag: createHash('sha256').update(rdfReport.nt).digest('hex').slice(0, 16) };
    }
    return { conforms: report.conforms, json: JSON.stringify(documentReportJson(report, task.language ?? 'nb')) };
  }
  return prepareWrite(quads, { ...task, baseUrl: settings.baseUrl, bounds: { ...bounds, maxRecordTriples: settings.limits.maxRecordTriples } }, resources);
}

/** A record's page model from its N-Triples: Katalog's own URLs become paths of the page. */
export function viewOf(task: Extract<BodyTask, { task: 'view' }>, baseUrl: string, vocabularies: VocabularyIndex): RecordView {
  return recordView({ ...task, quads: triplesOf(task.nt), vocabularies, linked: new Map(task.linked), local: localPath(baseUrl) });
}
