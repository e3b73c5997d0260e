import type { InputLimits } from '../core/budgets.js';
import { rdfXmlPart } from '../core/documents.js';
import type { Kind } from '../core/kinds.js';
import type { FormatId } from '../core/media-types.js';
import { parseRdf } from '../core/parse.js';
import type { ValidationResources } from './resources.js';
import { renderRepresentations, type Representations } from '../core/serialize/representations.js';
import { reportQuads } from '../core/validation/report.js';
import { type PlainValidation, toPlainValidation } from './transfer.js';
import { validateDocument } from './validator.js';
import { type PreparedWrite, prepareWrite } from './writes.js';

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
  | { task: 'validate'; body: Body; format: FormatId; profileId?: string; /** Also render the report as RDF (sh:ValidationReport). */ rdfReport?: boolean }
  | { task: 'rdfxml'; nt: string }
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

/** A validation, with its RDF report rendered when asked (in the worker: it can be large). */
export interface ValidationOutcome {
  validation: PlainValidation;
  rdfReport?: Representations;
}

/**
 * Does one body task. Pure apart from the resources it reads, so it runs in a worker thread (or in
 * this one, see work-pool.ts); every bound of `settings.limits` is enforced on the way (413).
 */
export async function performBodyTask(task: BodyTask, settings: BodySettings, resources: ValidationResources): Promise<ValidationOutcome | PreparedWrite | string> {
  // A stored record's RDF/XML, written from its N-Triples (large ones are written here, not in the event loop).
  if (task.task === 'rdfxml') return rdfXmlPart(task.nt);
  const quads = await parseRdf(bodyText(task.body), task.format, { baseIRI: settings.baseUrl + '/', knownContexts: settings.knownContexts, limits: settings.limits });
  const bounds = { maxRecords: settings.limits.maxRecords, maxCopiedTriples: 2 * settings.limits.maxTriples, maxResults: settings.maxReportResults };
  if (task.task === 'validate') {
    const report = validateDocument(quads, resources, task.profileId, bounds);
    const rdfReport = task.rdfReport ? renderRepresentations(reportQuads(report.conforms, report.records.flatMap((r) => r.results))) : undefined;
    return { validation: toPlainValidation(report), ...(rdfReport ? { rdfReport } : {}) };
  }
  return prepareWrite(quads, { ...task, baseUrl: settings.baseUrl, bounds: { ...bounds, maxRecordTriples: settings.limits.maxRecordTriples } }, resources);
}
