import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { KatalogError, RdfSyntaxError } from '../core/errors.js';
import type { Kind } from '../core/kinds.js';
import { formatOfFileName } from '../core/media-types.js';
import { parseRdf } from '../core/parse.js';
import type { RecordGraph } from '../core/records.js';
import type { Store } from '../store/store.js';
import { prepareDocument, type RejectedRecord } from './ingest.js';
import type { ValidationResources } from './resources.js';
import { validateRecord } from './validator.js';

export interface FileReport {
  file: string;
  /** Records stored from this file, per kind. */
  loaded: Partial<Record<Kind, number>>;
  /** Triples in the file that belong to no record, not stored. */
  skippedTriples: number;
  /** Records not stored because they violate their profile. */
  rejected: RejectedRecord[];
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
}

async function rdfFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && formatOfFileName(e.name) !== undefined)
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Loads every RDF file below `dir` (by extension: .ttl .jsonld .json .nt .rdf .owl .xml .nq .trig).
 * Relative IRIs resolve against PUBLIC_BASE_URL + "/". Each file is stored in one transaction:
 * a file with a syntax error, or one the store refuses, stores nothing and is reported with its
 * line and column; the other files still load.
 */
export async function loadDirectory(store: Store, dir: string, options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = { files: [], loaded: {}, failed: 0 };
  for (const path of await rdfFiles(dir)) {
    const file = relative(process.cwd(), path) || path;
    const entry: FileReport = { file, loaded: {}, skippedTriples: 0, rejected: [] };
    report.files.push(entry);
    try {
      const text = await readFile(path, 'utf8');
      const quads = await parseRdf(text, formatOfFileName(path)!.id, {
        baseIRI: options.baseUrl + '/',
        knownContexts: options.knownContexts,
      });
      const resources = options.validation;
      const validate = resources
        ? (record: RecordGraph) => {
            const profile = resources.profiles.defaultFor(record.kind.kind);
            return profile && { profile: profile.info.id, ...validateRecord(record.quads, profile, resources) };
          }
        : undefined;
      const { records, rejected, remainder } = prepareDocument(quads, options.baseUrl, relative(dir, path) + '\n' + text, validate);
      await store.putMany(records);
      entry.skippedTriples = remainder.length;
      entry.rejected = rejected;
      report.failed += rejected.length;
      for (const r of records) {
        entry.loaded[r.kind] = (entry.loaded[r.kind] ?? 0) + 1;
        report.loaded[r.kind] = (report.loaded[r.kind] ?? 0) + 1;
      }
    } catch (error) {
      if (!(error instanceof KatalogError)) throw error;
      report.failed++;
      entry.error =
        error instanceof RdfSyntaxError ? { message: error.message, line: error.line, column: error.column } : { message: error.message };
    }
  }
  return report;
}

/** One line per file, for a terminal or a log. */
export function describeLoad(report: LoadReport): string[] {
  const counts = (c: Partial<Record<Kind, number>>) =>
    Object.entries(c)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'no records';
  const lines = report.files.flatMap((f) =>
    f.error
      ? [`${f.file}:${f.error.line ?? '?'}:${f.error.column ?? '?'}: not loaded: ${f.error.message}`]
      : [
          `${f.file}: ${counts(f.loaded)}${f.skippedTriples ? ` (${f.skippedTriples} triples outside any record skipped)` : ''}`,
          ...f.rejected.flatMap((r) => [
            `${f.file}: <${r.iri}> not loaded: it violates ${r.profile}:`,
            ...r.results.filter((x) => x.severity === 'Violation').map((x) => `  - ${x.messages.en}`),
          ]),
        ],
  );
  const files = report.files.filter((f) => f.error).length;
  lines.push(`total: ${counts(report.loaded)}; ${files} file(s) not loaded, ${report.failed - files} record(s) refused`);
  return lines;
}
