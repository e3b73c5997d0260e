import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ValidationResources } from '../catalog/resources.js';
import { documentResults, validateDocument, type DocumentValidation } from '../catalog/validator.js';
import { KatalogError } from '../core/errors.js';
import { formatOfFileName } from '../core/media-types.js';
import { splitKnown } from '../core/namespaces.js';
import { parseRdf } from '../core/parse.js';
import { renderRepresentations } from '../core/serialize/representations.js';
import { TURTLE_PREFIXES } from '../core/serialize/turtle.js';
import { documentReportJson, type Language, reportQuads } from '../core/validation/report.js';

export const VALIDATE_USAGE = `katalog validate FILE... [--profile ID] [--lang nb|en] [--format text|json|ttl]
  Validates RDF files (each file a document) and prints a report grouped by record and property.
  Exit code: 0 conforms (warnings allowed), 1 violations, 2 bad input (unreadable file, syntax error,
  unknown profile or option).`;

const SYMBOL = { Violation: '✗', Warning: '!', Info: 'i' } as const;
const WORDS = {
  nb: { Violation: 'brudd', Warning: 'advarsler', Info: 'råd', conforms: 'oppfyller profilen', fails: 'oppfyller ikke profilen', unattached: 'ikke del av noen post' },
  en: { Violation: 'violations', Warning: 'warnings', Info: 'info', conforms: 'conforms', fails: 'does not conform', unattached: 'not part of any record' },
};

function compact(iri: string): string {
  const k = splitKnown(iri);
  return k ? `${k.prefix}:${k.local}` : `<${iri}>`;
}

/** A terminal report: per record, then per property, then counts per severity. */
export function textReport(file: string, report: DocumentValidation, lang: Language): string {
  const w = WORDS[lang];
  const lines = [file];
  for (const record of report.records) {
    const count = (s: 'Violation' | 'Warning' | 'Info') => record.results.filter((r) => r.severity === s).length;
    lines.push(`  <${record.record}> (${record.kind}, ${record.profile}): ${count('Violation')} ${w.Violation}, ${count('Warning')} ${w.Warning}, ${count('Info')} ${w.Info}`);
    const byPath = new Map<string, typeof record.results>();
    for (const r of record.results) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
    for (const [path, results] of byPath) {
      lines.push(`    ${path ? compact(path) : '(node)'}`);
      for (const r of results) lines.push(`      ${SYMBOL[r.severity]} ${r.severity}: ${r.messages[lang]}`);
    }
  }
  for (const node of report.unattached) {
    const count = (s: 'Violation' | 'Warning' | 'Info') => node.results.filter((r) => r.severity === s).length;
    lines.push(`  <${node.node}> (${node.types.map(compact).join(', ') || '-'}, ${node.profile}, ${w.unattached}): ${count('Violation')} ${w.Violation}, ${count('Warning')} ${w.Warning}, ${count('Info')} ${w.Info}`);
    for (const r of node.results) lines.push(`    ${r.path ? compact(r.path) : '(node)'}: ${SYMBOL[r.severity]} ${r.severity}: ${r.messages[lang]}`);
  }
  for (const s of report.skipped) lines.push(`  <${s.record}> (${s.kind}): not covered by the profile, not validated`);
  const c = report.counts;
  lines.push(`  ${c.violations} ${w.Violation}, ${c.warnings} ${w.Warning}, ${c.info} ${w.Info}: ${report.conforms ? w.conforms : w.fails}`);
  return lines.join('\n');
}

/** Runs `katalog validate`; returns the exit code. */
export async function validateCommand(args: string[], resources: ValidationResources, baseUrl: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { profile: { type: 'string' }, lang: { type: 'string', default: 'nb' }, format: { type: 'string', default: 'text' } },
    });
  } catch (error) {
    console.error(`katalog validate: ${(error as Error).message}\n${VALIDATE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0 || !['nb', 'en'].includes(values.lang!) || !['text', 'json', 'ttl'].includes(values.format!)) {
    console.error(VALIDATE_USAGE);
    return 2;
  }
  const lang = values.lang as Language;
  let violations = false;
  for (const file of positionals) {
    const format = formatOfFileName(file);
    if (!format) {
      console.error(`katalog validate: ${file}: unknown file type (use .ttl, .jsonld, .json, .nt, .rdf, .nq or .trig)`);
      return 2;
    }
    let report: DocumentValidation;
    try {
      const quads = await parseRdf(await readFile(file, 'utf8'), format.id, { baseIRI: baseUrl + '/' });
      report = validateDocument(quads, resources, values.profile);
    } catch (error) {
      if (!(error instanceof KatalogError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
      const e = error as KatalogError & { line?: number; column?: number };
      const where = e.line ? `:${e.line}:${e.column ?? '?'}` : '';
      console.error(`katalog validate: ${file}${where}: ${e.message}`);
      return 2;
    }
    violations ||= !report.conforms;
    if (values.format === 'json') console.log(JSON.stringify({ file, ...documentReportJson(report, lang) }, null, 2));
    else if (values.format === 'ttl') {
      const quads = reportQuads(report.conforms, documentResults(report));
      console.log(TURTLE_PREFIXES + renderRepresentations(quads).ttl);
    } else console.log(textReport(file, report, lang));
  }
  return violations ? 1 : 0;
}
