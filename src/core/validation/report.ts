import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { RDF_TYPE, XSD } from '../namespaces.js';
import { nodeLabel } from '../rdf-terms.js';
import type { ValidationResult } from './engine.js';
import { pathQuads } from './paths.js';
import { SH } from './shapes.js';

const { quad, namedNode, blankNode, literal } = DataFactory;

export type Language = 'nb' | 'en';

/** The "constraint component" of the Info result of a document in which nothing is targeted: a Katalog note, not one of SHACL's. */
export const NO_FOCUS_NODE = 'urn:katalog:note:no-focus-node';

/** A component is a SHACL constraint component's local name, or a Katalog note's full IRI (urn:katalog:note:...). */
const isNote = (component: string) => component.includes(':');

/** A result as JSON, with its message in one language. */
export function resultJson(r: ValidationResult, lang: Language) {
  return {
    focusNode: nodeLabel(r.focusNode),
    path: r.path,
    ...(r.value ? { value: r.value.termType === 'Literal' ? r.value.value : nodeLabel(r.value) } : {}),
    severity: r.severity,
    message: r.messages[lang],
    constraint: isNote(r.component) ? r.component : `sh:${r.component}`,
    sourceShape: r.sourceShape,
  };
}

/**
 * The results as an RDF sh:ValidationReport (SHACL 3.6): sh:sourceShape is the shape itself (a
 * property shape is often a blank node of the shapes graph), sh:resultPath the path as SHACL
 * writes it; messages are given in both languages. `conforms` is the caller's verdict.
 */
export function reportQuads(conforms: boolean, results: ValidationResult[]): Quad[] {
  const report = blankNode('report');
  const quads: Quad[] = [
    quad(report, namedNode(RDF_TYPE), namedNode(SH + 'ValidationReport')),
    quad(report, namedNode(SH + 'conforms'), literal(String(conforms), namedNode(XSD('boolean')))),
  ];
  let paths = 0;
  results.forEach((r, i) => {
    const node = blankNode(`result${i}`);
    quads.push(
      quad(report, namedNode(SH + 'result'), node),
      quad(node, namedNode(RDF_TYPE), namedNode(SH + 'ValidationResult')),
      quad(node, namedNode(SH + 'focusNode'), r.focusNode as never),
      quad(node, namedNode(SH + 'resultSeverity'), namedNode(r.severityIri ?? SH + r.severity)),
      quad(node, namedNode(SH + 'sourceConstraintComponent'), namedNode(isNote(r.component) ? r.component : SH + r.component)),
      quad(node, namedNode(SH + 'sourceShape'), r.shape as never),
      quad(node, namedNode(SH + 'resultMessage'), literal(r.messages.nb, 'nb')),
      quad(node, namedNode(SH + 'resultMessage'), literal(r.messages.en, 'en')),
    );
    if (r.resultPath !== undefined) {
      const path = pathQuads(r.resultPath, () => blankNode(`path${paths++}`));
      quads.push(...path.quads, quad(node, namedNode(SH + 'resultPath'), path.node as never));
    }
    if (r.value) quads.push(quad(node, namedNode(SH + 'value'), r.value as never));
  });
  return quads;
}

/** The per-document report as the JSON body of POST /validate (and of a refused write). */
export function documentReportJson(
  report: {
    conforms: boolean;
    counts: { violations: number; warnings: number; info: number };
    records: Array<{ record: string; kind: string; profile: string; conforms: boolean; results: ValidationResult[] }>;
    unattached?: Array<{ node: string; types: string[]; profile: string; conforms: boolean; results: ValidationResult[] }>;
    skipped: Array<{ record: string; kind: string }>;
    truncated?: number;
  },
  lang: Language,
) {
  const { violations, warnings, info } = report.counts;
  const unattached = report.unattached ?? [];
  const profiles = [...new Set([...report.records, ...unattached].map((r) => r.profile))].join(', ');
  const failing = report.records.filter((r) => !r.conforms).length;
  const loose = unattached.filter((n) => n.results.some((r) => r.component !== NO_FOCUS_NODE)).length;
  const nodes =
    loose === 0
      ? ''
      : lang === 'nb'
        ? ` ${loose} node(r) utenfor enhver post er validert for seg.`
        : ` ${loose} node(s) outside any record validated on their own.`;
  const detail =
    (lang === 'nb'
      ? `${violations} brudd, ${warnings} advarsler og ${info} råd i ${report.records.length} post(er) (profil ${profiles}); ${failing} post(er) oppfyller ikke profilen.`
      : `${violations} violation(s), ${warnings} warning(s) and ${info} info in ${report.records.length} record(s) (profile ${profiles}); ${failing} record(s) do not conform.`) +
    nodes;
  const records = report.records.map((r) => ({
    record: r.record,
    kind: r.kind,
    profile: r.profile,
    conforms: r.conforms,
    results: r.results.map((x) => resultJson(x, lang)),
  }));
  // Targeted nodes that no record reaches: their own group, "not part of any record".
  const nodeGroups = unattached.map((n) => ({
    node: n.node,
    types: n.types,
    profile: n.profile,
    conforms: n.conforms,
    results: n.results.map((x) => resultJson(x, lang)),
  }));
  return {
    detail,
    conforms: report.conforms,
    language: lang,
    counts: report.counts,
    records,
    unattached: nodeGroups,
    violations: [
      ...records.flatMap((r) => r.results.filter((x) => x.severity === 'Violation').map((x) => ({ record: r.record, ...x }))),
      ...nodeGroups.flatMap((n) => n.results.filter((x) => x.severity === 'Violation').map((x) => ({ node: n.node, ...x }))),
    ],
    skipped: report.skipped,
    // Results left out of this report (MAX_REPORT_RESULTS); `counts` counts every result.
    ...(report.truncated ? { truncated: report.truncated } : {}),
  };
}
