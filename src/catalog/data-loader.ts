import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { KatalogError, RdfSyntaxError } from '../core/errors.js';
import type { Kind } from '../core/kinds.js';
import { formatOfFileName } from '../core/media-types.js';
import { parseRdf } from '../core/parse.js';
import type { RecordGraph } from '../core/records.js';
import type { RecordInput, Store } from '../store/store.js';
import { prepareDocument } from './ingest.js';
import type { PrepareTask, PrepareWorkerData } from './prepare-worker.js';
import type { ValidationResources } from './resources.js';
import { startWorker } from './threads.js';
import { qualityIndex } from './quality.js';
import { validateRecord, validateUnattached } from './validator.js';
import type { ValidationResult } from '../core/validation/engine.js';
import { nodeLabel } from '../core/rdf-terms.js';

/** The young generation of a loader's worker threads, in MB (V8's default is 16 to 32). */
const LOAD_YOUNG_GENERATION_MB = 128;

/** A validation result as plain data (it crosses from a worker thread). */
export interface PlainResult {
  severity: 'Violation' | 'Warning' | 'Info';
  focusNode: string;
  path: string;
  messages: { nb: string; en: string };
}

export interface RejectedFileRecord {
  iri: string;
  kind: Kind;
  profile: string;
  results: PlainResult[];
}

/** A targeted node of a file that no record reaches (not stored), with a violation of its profile. */
export interface UnattachedFileNode {
  node: string;
  profile: string;
  results: PlainResult[];
}

export interface FileReport {
  file: string;
  /** Records stored from this file, per kind. */
  loaded: Partial<Record<Kind, number>>;
  /** Triples in the file that belong to no record, not stored. */
  skippedTriples: number;
  /** Records not stored because they violate their profile. */
  rejected: RejectedFileRecord[];
  /** Nodes outside any record that violate their profile (reported; they are not stored either way). */
  unattached: UnattachedFileNode[];
  /** Why nothing of this file was stored. */
  error?: { message: string; line?: number; column?: number };
}

export interface LoadReport {
  files: FileReport[];
  loaded: Partial<Record<Kind, number>>;
  /** Files not loaded at all (syntax errors) plus records refused by validation. */
  failed: number;
}

export interface LoadOptions {
  baseUrl: string;
  knownContexts?: Record<string, unknown>;
  /** When given, every record is validated against its kind's default profile; violations refuse it. */
  validation?: ValidationResources;
  /** Told of each file as it is stored, in file order. */
  onFile?: (entry: FileReport, done: number, total: number) => void;
  /**
   * Prepare files in this many worker threads (1: in this thread). Workers validate with the
   * project's own vocabularies and profiles (loadValidationResources()), so use them only when
   * `validation` is those.
   */
  threads?: number;
}

/** What preparing one file gives: records ready for the store, or why the file cannot be loaded. */
export interface PreparedFile {
  records: RecordInput[];
  rejected: RejectedFileRecord[];
  unattached: UnattachedFileNode[];
  skippedTriples: number;
  error?: FileReport['error'];
}

async function rdfFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && formatOfFileName(e.name) !== undefined)
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const plainResult = (x: ValidationResult): PlainResult => ({
  severity: x.severity,
  focusNode: nodeLabel(x.focusNode),
  path: x.path,
  messages: { nb: x.messages.nb, en: x.messages.en },
});

/** Parses, splits, validates and renders one file: everything but storing it. */
export async function prepareFile(
  path: string,
  dir: string,
  options: { baseUrl: string; knownContexts?: Record<string, unknown> },
  resources?: ValidationResources,
): Promise<PreparedFile> {
  try {
    const text = await readFile(path, 'utf8');
    const quads = await parseRdf(text, formatOfFileName(path)!.id, { baseIRI: options.baseUrl + '/', knownContexts: options.knownContexts });
    const validate = resources
      ? (record: RecordGraph) => {
          const profile = resources.profiles.defaultFor(record.kind.kind);
          return profile && { profile: profile.info.id, ...validateRecord(record.quads, profile, resources) };
        }
      : undefined;
    const assess = resources
      ? (record: RecordGraph, verdict: ReturnType<NonNullable<typeof validate>>) =>
          qualityIndex(record.kind.kind, record.quads, record.root, resources, verdict)
      : undefined;
    const { records, rejected, remainder } = prepareDocument(quads, options.baseUrl, relative(dir, path) + '\n' + text, validate, assess);
    // The targeted nodes no record reaches are validated too, as SHACL would (README "Validation").
    const unattached = resources ? validateUnattached(remainder, resources, undefined, 0, Infinity).filter((n) => !n.conforms) : [];
    return {
      records,
      skippedTriples: remainder.length,
      rejected: rejected.map((r) => ({ iri: r.iri, kind: r.kind, profile: r.profile, results: r.results.map(plainResult) })),
      unattached: unattached.map((n) => ({ node: n.node, profile: n.profile, results: n.results.map(plainResult) })),
    };
  } catch (error) {
    if (!(error instanceof KatalogError)) throw error;
    const detail = error instanceof RdfSyntaxError ? { message: error.message, line: error.line, column: error.column } : { message: error.message };
    return { records: [], rejected: [], unattached: [], skippedTriples: 0, error: detail };
  }
}

/**
 * Loads every RDF file below `dir` (by extension: .ttl .jsonld .json .nt .rdf .owl .xml .nq .trig).
 * Relative IRIs resolve against PUBLIC_BASE_URL + "/". Each file is stored in one transaction, in
 * file order: a file with a syntax error stores nothing and is reported with its line and column;
 * a record with violations is reported and not stored; the rest still loads.
 */
export async function loadDirectory(store: Store, dir: string, options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = { files: [], loaded: {}, failed: 0 };
  const paths = await rdfFiles(dir);
  const files: AsyncIterable<PreparedFile> =
    (options.threads ?? 1) > 1 && paths.length > 1
      ? preparedInWorkers(paths, dir, options, Math.min(options.threads!, paths.length))
      : preparedInTurn(paths, dir, options);
  let i = 0;
  for await (const prepared of files) {
    const path = paths[i++]!;
    const entry: FileReport = {
      file: relative(process.cwd(), path) || path,
      loaded: {},
      skippedTriples: prepared.skippedTriples,
      rejected: prepared.rejected,
      unattached: prepared.unattached,
    };
    if (prepared.error) {
      entry.error = prepared.error;
      report.failed++;
    } else {
      await store.putMany(prepared.records);
      report.failed += prepared.rejected.length;
      for (const r of prepared.records) {
        entry.loaded[r.kind] = (entry.loaded[r.kind] ?? 0) + 1;
        report.loaded[r.kind] = (report.loaded[r.kind] ?? 0) + 1;
      }
    }
    report.files.push(entry);
    options.onFile?.(entry, i, paths.length);
  }
  return report;
}

async function* preparedInTurn(paths: string[], dir: string, options: LoadOptions): AsyncGenerator<PreparedFile> {
  for (const path of paths) yield await prepareFile(path, dir, { baseUrl: options.baseUrl, knownContexts: options.knownContexts }, options.validation);
}

/**
 * Prepares files in worker threads, a file per worker at a time, and yields them in file order
 * while the caller stores the previous ones: parsing, validating and rendering run beside the
 * SQLite writes. From source (tests) the worker runs through tsx.
 */
async function* preparedInWorkers(paths: string[], dir: string, options: LoadOptions, threads: number): AsyncGenerator<PreparedFile> {
  const data: PrepareWorkerData = { dir, baseUrl: options.baseUrl, knownContexts: options.knownContexts, validate: options.validation !== undefined };
  // A larger young generation: a load allocates short-lived objects at a high rate, and with the
  // default one scavenges took a fifth of each thread's time (5 % faster loads, about 100 MB more each).
  const workers = Array.from({ length: threads }, () =>
    startWorker('prepare-worker', { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: LOAD_YOUNG_GENERATION_MB } }),
  );
  const done = new Map<number, PreparedFile>();
  const idle = [...workers];
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let next = 0;
  // At most two files per worker prepared ahead of the store: memory stays bounded.
  const pump = () => {
    while (idle.length > 0 && next < paths.length && inFlight + done.size < threads * 2) {
      idle.pop()!.postMessage({ index: next, path: paths[next++]! } satisfies PrepareTask);
      inFlight++;
    }
  };
  for (const worker of workers) {
    worker.on('message', (message: { index: number; prepared?: PreparedFile; error?: string }) => {
      inFlight--;
      idle.push(worker);
      if (message.error !== undefined) failure ??= new Error(`preparing ${paths[message.index]}: ${message.error}`);
      else done.set(message.index, message.prepared!);
      pump();
      wake?.();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
  }
  pump();
  try {
    for (let index = 0; index < paths.length; index++) {
      while (!done.has(index)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const file = done.get(index)!;
      done.delete(index);
      pump();
      yield file;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const counts = (c: Partial<Record<Kind, number>>) =>
  Object.entries(c)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'no records';

/** The lines that report one file: what it stored, or why not, and each refused record. */
export function describeFile(f: FileReport): string[] {
  if (f.error) return [`${f.file}:${f.error.line ?? '?'}:${f.error.column ?? '?'}: not loaded: ${f.error.message}`];
  return [
    `${f.file}: ${counts(f.loaded)}${f.skippedTriples ? ` (${f.skippedTriples} triples outside any record skipped)` : ''}`,
    ...f.rejected.flatMap((r) => [
      `${f.file}: <${r.iri}> not loaded: it violates ${r.profile}:`,
      ...r.results.filter((x) => x.severity === 'Violation').map((x) => `  - ${x.messages.en}`),
    ]),
    ...f.unattached.flatMap((n) => [
      `${f.file}: <${n.node}> (not part of any record, not stored) violates ${n.profile}:`,
      ...n.results.filter((x) => x.severity === 'Violation').map((x) => `  - ${x.messages.en}`),
    ]),
  ];
}

export function describeTotal(report: LoadReport): string {
  const files = report.files.filter((f) => f.error).length;
  return `total: ${counts(report.loaded)}; ${files} file(s) not loaded, ${report.failed - files} record(s) refused`;
}

/** One line per file, then the total: for a terminal or a log. */
export function describeLoad(report: LoadReport): string[] {
  return [...report.files.flatMap(describeFile), describeTotal(report)];
}
