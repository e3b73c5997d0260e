import { readFile } from 'node:fs/promises';
import type { Quad } from '@rdfjs/types';
import { parseArgs } from 'node:util';
import type { ValidationResources } from '../catalog/resources.js';
import { type CustomShapes, documentResults, shaclConforms, validateDocument, type DocumentValidation, validateWithShapes } from '../catalog/validator.js';
import { KatalogError } from '../core/errors.js';
import { formatOfFileName } from '../core/media-types.js';
import { splitKnown } from '../core/namespaces.js';
import { parseRdf } from '../core/parse.js';
import { renderRepresentations } from '../core/serialize/representations.js';
import { TURTLE_PREFIXES } from '../core/serialize/turtle.js';
import { documentReportJson, type Language, reportQuads } from '../core/validation/report.js';
import { compileShapes, ShapeError } from '../core/validation/shapes.js';

export const VALIDATE_USAGE = `katalog validate FILE... [--profile ID | --shapes SHAPES.ttl [--shapes ...]] [--lang nb|en] [--format text|json|ttl]
  Validates RDF files (each file a document) and prints a report grouped by record and property.
  --shapes validates against any SHACL Core shapes graph (the files together) instead of a profile;
  --format ttl then writes a standard sh:ValidationReport (sh:conforms false on any result).
  Exit code: 0 conforms (warnings allowed), 1 violations, 2 bad input (unreadable file, syntax error,
  unknown profile or option, shapes outside SHACL Core).`;

const SYMBOL = { Violation: '✗', Warning: '!', Info: 'i' } as const;
const WORDS = {
  nb: {
    Violation: 'brudd',
    Warning: 'advarsler',
    Info: 'råd',
    conforms: 'oppfyller profilen',
    fails: 'oppfyller ikke profilen',
    unattached: 'ikke del av noen post',
  },
  en: { Violation: 'violations', Warning: 'warnings', Info: 'info', conforms: 'conforms', fails: 'does not conform', unattached: 'not part of any record' },
};

function compact(iri: string): string {
  const k = splitKnown(iri);
  return k ? `${k.prefix}:${k.local}` : `<${iri}>`;
}

/** A result path for the terminal: its IRIs with their usual prefixes (`dcat:distribution`, `dct:publisher/foaf:name`). */
function pathText(path: string): string {
  if (!path) return '(node)';
  return path.includes('<') ? path.replace(/<([^<>]*)>/g, (_, iri: string) => compact(iri)) : compact(path);
}

/** A terminal report: per record, then per property, then counts per severity. */
export function textReport(file: string, report: DocumentValidation, lang: Language): string {
  const w = WORDS[lang];
  const lines = [file];
  for (const record of report.records) {
    const count = (s: 'Violation' | 'Warning' | 'Info') => record.results.filter((r) => r.severity === s).length;
    lines.push(
      `  <${record.record}> (${record.kind}, ${record.profile}): ${count('Violation')} ${w.Violation}, ${count('Warning')} ${w.Warning}, ${count('Info')} ${w.Info}`,
    );
    const byPath = new Map<string, typeof record.results>();
    for (const r of record.results) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
    for (const [path, results] of byPath) {
      lines.push(`    ${pathText(path)}`);
      for (const r of results) lines.push(`      ${SYMBOL[r.severity]} ${r.severity}: ${r.messages[lang]}`);
    }
  }
  for (const node of report.unattached) {
    const count = (s: 'Violation' | 'Warning' | 'Info') => node.results.filter((r) => r.severity === s).length;
    lines.push(
      `  <${node.node}> (${node.types.map(compact).join(', ') || '-'}, ${node.profile}, ${w.unattached}): ${count('Violation')} ${w.Violation}, ${count('Warning')} ${w.Warning}, ${count('Info')} ${w.Info}`,
    );
    for (const r of node.results) lines.push(`    ${pathText(r.path)}: ${SYMBOL[r.severity]} ${r.severity}: ${r.messages[lang]}`);
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
      options: {
        profile: { type: 'string' },
        shapes: { type: 'string', multiple: true },
        lang: { type: 'string', default: 'nb' },
        format: { type: 'string', default: 'text' },
      },
    });
  } catch (error) {
    console.error(`katalog validate: ${(error as Error).message}\n${VALIDATE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (
    positionals.length === 0 ||
    !['nb', 'en'].includes(values.lang!) ||
    !['text', 'json', 'ttl'].includes(values.format!) ||
    (values.profile && values.shapes)
  ) {
    console.error(VALIDATE_USAGE);
    return 2;
  }
  let shapes: CustomShapes | undefined;
  if (values.shapes) {
    const read = await readShapes(values.shapes, baseUrl);
    if (typeof read === 'string') {
      console.error(`katalog validate: ${read}`);
      return 2;
    }
    shapes = read;
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
      report = shapes ? validateWithShapes(quads, shapes, resources.vocabularies) : validateDocument(quads, resources, values.profile);
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
      const quads = reportQuads(shapes ? shaclConforms(report) : report.conforms, documentResults(report));
      console.log(TURTLE_PREFIXES + renderRepresentations(quads).ttl);
    } else console.log(textReport(file, report, lang));
  }
  return violations ? 1 : 0;
}

/** Reads and compiles the --shapes files as one shapes graph; a message naming the file or the shape when it cannot. */
async function readShapes(files: string[], baseUrl: string): Promise<CustomShapes | string> {
  const quads: Quad[] = [];
  for (const file of files) {
    const format = formatOfFileName(file);
    if (!format) return `${file}: unknown file type for shapes`;
    try {
      quads.push(...(await parseRdf(await readFile(file, 'utf8'), format.id, { baseIRI: baseUrl + '/' })));
    } catch (error) {
      const e = error as KatalogError & { line?: number; column?: number };
      return `${file}${e.line ? `:${e.line}:${e.column ?? '?'}` : ''}: ${e.message}`;
    }
  }
  try {
    return { name: files.join(', '), compiled: compileShapes(quads) };
  } catch (error) {
    if (error instanceof ShapeError) return `${files.join(', ')}: ${error.message}`;
    throw error;
  }
}
