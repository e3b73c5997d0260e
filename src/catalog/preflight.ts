import type { Quad } from '@rdfjs/types';
import { isomorphic } from 'rdf-isomorphic';
import { KatalogError } from '../core/errors.js';
import { kindOfTypes, MEMBERSHIP_PROPERTIES } from '../core/kinds.js';
import { type FormatId, formatOfContentType } from '../core/media-types.js';
import { DCT, RDF_TYPE } from '../core/namespaces.js';
import { parseRdf } from '../core/parse.js';
import { splitIntoRecords } from '../core/records.js';
import { xmlPropertyName } from '../core/serialize/representable.js';
import type { UrlFinding } from '../core/quality.js';
import { assessRecord } from './quality.js';
import type { ValidationResources } from './resources.js';
import { validateDocument } from './validator.js';

/**
 * A harvest preflight (README "Harvest preflight"): what Felles datakatalog's harvester would make of
 * a source, read as it reads it (docs/design.md, "How Felles datakatalog reads us"): relative IRIs
 * against http://example.com/, every predicate written to RDF/XML and back (a predicate RDF/XML
 * cannot name fails the harvest), then the records it would import, validated. Pure: the command
 * line fetches (src/cli/check.ts); the server never does.
 */

/** The harvester's cap on a source, in bytes. */
export const HARVEST_CAP = 75 * 1024 * 1024;
/** What the harvester resolves relative IRIs against. */
export const HARVEST_BASE = 'http://example.com/';

export interface Fetched {
  /** Where it came from (a URL or a file). */
  source: string;
  text: string;
  bytes: number;
  format: FormatId;
  headers: Record<string, string>;
}

export interface Preflight {
  source: string;
  bytes: number;
  cap: number;
  format: FormatId;
  triples: number;
  /** Records the harvester would import, per kind (those with an IRI). */
  records: Record<string, number>;
  /** Records whose root is a blank node: the harvester cannot tell them apart from one harvest to the next, and drops them. */
  blankRecords: number;
  /** Records whose IRI was relative in the source: resolved against http://example.com/, as the harvester does. */
  relative: string[];
  /** Triples no record reaches: the harvester drops them. */
  dropped: number;
  /** Predicates RDF/XML cannot name: the harvester's RDF/XML probe fails on them. */
  unrepresentable: string[];
  /** Records of one kind that share a dct:identifier (the portal shows one of them). */
  duplicates: Array<{ identifier: string; records: string[] }>;
  /** IRIs typed as records of two kinds (a dcat:Dataset that is also a dcat:DataService): the portal keeps one. */
  twoKinds: Array<{ iri: string; kinds: string[] }>;
  /** Records several catalogues list: each harvest of a catalogue claims them again. */
  listedTwice: Array<{ member: string; catalogs: string[] }>;
  /** Members a catalogue lists that the document does not describe. */
  dangling: Array<{ catalog: string; member: string }>;
  validation: Array<{ record: string; kind: string; profile: string; conforms: boolean; violations: number; warnings: number }>;
  /** Whether a second fetch gave the same graph (undefined: not fetched twice, or too many blank nodes to compare). */
  stable?: boolean;
  caching: { etag?: string; lastModified?: string; cacheControl?: string };
  /**
   * Each dataset's quality score (docs/quality.md), with the web metrics measured from what its URLs
   * answered (none measured without `urls`): the metrics it did not earn in full, and those not measured.
   */
  quality: Array<{
    record: string;
    score: number;
    max: number;
    measuredMax: number;
    rating: string;
    missed: Array<{ metric: string; points: number; score: number }>;
    notMeasured: string[];
  }>;
  /** How many distribution URLs were fetched for the web metrics, and how many answered 2xx. */
  urls?: { fetched: number; ok: number; skipped: number };
  /** The verdict: ready, or the problems that stand in the way. */
  problems: string[];
}

/** Blank nodes above which two graphs are not compared (graph isomorphism grows fast with them). */
const MAX_COMPARED_BLANK_NODES = 2_000;

/**
 * Whether two fetches gave the same graph: the same triples up to blank node labels; undefined (not
 * compared) when the graphs have more blank nodes than can be compared in reasonable time.
 */
function sameGraph(a: Quad[], b: Quad[]): boolean | undefined {
  if (a.length !== b.length) return false;
  const blanks = new Set<string>();
  for (const q of a) for (const t of [q.subject, q.object]) if (t.termType === 'BlankNode') blanks.add(t.value);
  if (blanks.size > MAX_COMPARED_BLANK_NODES) return undefined;
  return isomorphic(a, b);
}

/** Parses a fetched source as the harvester does (`contexts`: the remote JSON-LD contexts it names, fetched by the command line); a syntax error throws (rdf-syntax, with line and column). */
export async function readSource(fetched: Fetched, contexts?: Record<string, unknown>): Promise<Quad[]> {
  if (fetched.bytes > HARVEST_CAP)
    throw new KatalogError('payload-too-large', `${fetched.source} is ${fetched.bytes} bytes, over the harvester's cap of ${HARVEST_CAP}.`);
  return parseRdf(fetched.text, fetched.format, { baseIRI: HARVEST_BASE, ...(contexts ? { knownContexts: contexts } : {}) });
}

/** The preflight of a source read into `quads`; `again`, the graph of a second fetch. */
export function preflight(
  fetched: Fetched,
  quads: Quad[],
  resources: ValidationResources,
  profileId?: string,
  again?: Quad[],
  urls?: { findings: Map<string, UrlFinding>; skipped: number },
): Preflight {
  const split = splitIntoRecords(quads);
  const { records, remainder } = split;
  const counts: Record<string, number> = {};
  let blankRecords = 0;
  for (const r of records) {
    if (r.root.termType === 'BlankNode') blankRecords++;
    else counts[r.kind.kind] = (counts[r.kind.kind] ?? 0) + 1;
  }
  const relative = records.filter((r) => r.root.termType === 'NamedNode' && r.root.value.startsWith(HARVEST_BASE)).map((r) => r.root.value);
  const described = new Set(records.map((r) => r.root.value));

  const unrepresentable = [...new Set(quads.map((q) => q.predicate.value))].filter((p) => !xmlPropertyName(p)).sort();

  // Records of one kind that share a dct:identifier: the portal tells records of a kind apart by it.
  const byIdentifier = new Map<string, { identifier: string; records: Set<string> }>();
  for (const r of records) {
    for (const q of r.quads) {
      if (!q.subject.equals(r.root) || q.predicate.value !== DCT('identifier')) continue;
      const key = `${r.kind.kind} ${q.object.value}`;
      const entry = byIdentifier.get(key) ?? { identifier: q.object.value, records: new Set<string>() };
      byIdentifier.set(key, entry.records.add(r.root.value) && entry);
    }
  }
  const duplicates = [...byIdentifier.values()].filter((d) => d.records.size > 1).map((d) => ({ identifier: d.identifier, records: [...d.records] }));

  // IRIs typed as two kinds of record, and records more than one catalogue lists.
  const kindsOf = new Map<string, Set<string>>();
  const listers = new Map<string, Set<string>>();
  for (const q of quads) {
    if (q.predicate.value === RDF_TYPE && q.subject.termType === 'NamedNode') {
      const kind = kindOfTypes([q.object.value])?.kind;
      if (kind) kindsOf.set(q.subject.value, (kindsOf.get(q.subject.value) ?? new Set()).add(kind));
    } else if (MEMBERSHIP_PROPERTIES.has(q.predicate.value) && q.object.termType === 'NamedNode') {
      listers.set(q.object.value, (listers.get(q.object.value) ?? new Set()).add(q.subject.value));
    }
  }
  const twoKinds = [...kindsOf].filter(([, kinds]) => kinds.size > 1).map(([iri, kinds]) => ({ iri, kinds: [...kinds] }));
  const listedTwice = [...listers].filter(([, catalogs]) => catalogs.size > 1).map(([member, catalogs]) => ({ member, catalogs: [...catalogs] }));

  const dangling = quads
    .filter((q) => MEMBERSHIP_PROPERTIES.has(q.predicate.value) && q.object.termType === 'NamedNode' && !described.has(q.object.value))
    .map((q) => ({ catalog: q.subject.value, member: q.object.value }));

  const report = validateDocument(quads, resources, profileId, {}, split);
  const validation = report.records.map((r) => ({
    record: r.record,
    kind: r.kind,
    profile: r.profile,
    conforms: r.conforms,
    violations: r.results.filter((x) => x.severity === 'Violation').length,
    warnings: r.results.filter((x) => x.severity === 'Warning').length,
  }));

  // Quality: the validation above is reused when it was against the dataset's default profile.
  // (a report whose results were cut short by its budget is not: the record is validated again).
  const verdicts = new Map(report.truncated === 0 ? report.records.map((r) => [r.record, r]) : []);
  const quality: Preflight['quality'] = [];
  for (const r of records) {
    const verdict = verdicts.get(r.root.value);
    const lookup = urls && ((url: string) => urls.findings.get(url));
    const a = assessRecord(r.kind.kind, r.quads, r.root, resources, verdict && { profile: verdict.profile, results: verdict.results }, lookup);
    if (!a) continue;
    quality.push({
      record: a.dataset,
      score: a.score,
      max: a.max,
      measuredMax: a.measuredMax,
      rating: a.rating,
      missed: a.metrics.filter((m) => m.measured && m.score < m.points).map((m) => ({ metric: m.id, points: m.points, score: m.score })),
      notMeasured: a.notMeasured,
    });
  }

  const stable = again ? sameGraph(quads, again) : undefined;
  const h = fetched.headers;
  const caching = {
    ...(h.etag ? { etag: h.etag } : {}),
    ...(h['last-modified'] ? { lastModified: h['last-modified'] } : {}),
    ...(h['cache-control'] ? { cacheControl: h['cache-control'] } : {}),
  };

  const problems: string[] = [];
  const contentType = h['content-type']?.split(';')[0]?.trim();
  const answered = contentType === undefined ? undefined : formatOfContentType(contentType)?.id;
  if (contentType !== undefined && answered !== fetched.format) {
    problems.push(
      `The source answers Content-Type ${contentType} to an Accept of ${fetched.format}: the harvester reads it as ${fetched.format} all the same; say what it is.`,
    );
  }
  if (records.length === 0)
    problems.push(
      'The harvester would import nothing: the document describes no record (dcat:Catalog, dcat:Dataset, dcat:DataService, cpsv:PublicService, cv:Event ...).',
    );
  if (blankRecords > 0) {
    problems.push(
      `${blankRecords} record(s) have no IRI (a blank node): the harvester cannot tell them apart from one harvest to the next, and drops them. Give each an IRI.`,
    );
  }
  if (relative.length > 0) {
    problems.push(
      `${relative.length} record IRI(s) are relative (or http://example.com/): the harvester makes them ${relative[0]}, which no one can look up. Give absolute IRIs.`,
    );
  }
  if (unrepresentable.length > 0)
    problems.push(`RDF/XML cannot name ${unrepresentable.length} predicate(s), so the harvest fails: ${unrepresentable.slice(0, 5).join(', ')}.`);
  const failing = validation.filter((v) => !v.conforms);
  if (failing.length > 0) problems.push(`${failing.length} record(s) do not conform to their profile.`);
  if (duplicates.length > 0) problems.push(`${duplicates.length} dct:identifier value(s) are shared by several records.`);
  if (twoKinds.length > 0)
    problems.push(`${twoKinds.length} IRI(s) are typed as records of two kinds (${twoKinds[0]!.iri}: ${twoKinds[0]!.kinds.join(', ')}): the portal keeps one.`);
  if (listedTwice.length > 0)
    problems.push(`${listedTwice.length} record(s) are listed by more than one catalogue (${listedTwice[0]!.member}): each harvest claims them again.`);
  if (dangling.length > 0) problems.push(`Catalogues list ${dangling.length} record(s) the document does not describe.`);
  if (stable === false) problems.push('A second fetch gave another graph: the harvester would see changes that are not there.');
  return {
    source: fetched.source,
    bytes: fetched.bytes,
    cap: HARVEST_CAP,
    format: fetched.format,
    triples: quads.length,
    records: counts,
    blankRecords,
    relative,
    dropped: remainder.length,
    unrepresentable,
    duplicates,
    twoKinds,
    listedTwice,
    dangling,
    validation,
    ...(stable === undefined ? {} : { stable }),
    caching,
    quality,
    ...(urls
      ? {
          urls: { fetched: urls.findings.size, ok: [...urls.findings.values()].filter((f) => f.status >= 200 && f.status < 300).length, skipped: urls.skipped },
        }
      : {}),
    problems,
  };
}

/** The preflight for a person: what would be imported, and every problem. */
export function preflightText(p: Preflight): string {
  const lines = [
    `${p.source}: ${p.format}, ${p.bytes} bytes (${((100 * p.bytes) / p.cap).toFixed(1)} % of the harvester's cap), ${p.triples} triples`,
    `  would import: ${
      Object.entries(p.records)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ') || 'nothing'
    }${p.blankRecords ? `; would drop ${p.blankRecords} record(s) without an IRI` : ''}${p.dropped ? `; would drop ${p.dropped} triple(s) that belong to no record` : ''}`,
  ];
  for (const v of p.validation) {
    lines.push(`  ${v.conforms ? '✓' : '✗'} <${v.record}> (${v.kind}, ${v.profile}): ${v.violations} violation(s), ${v.warnings} warning(s)`);
  }
  for (const d of p.duplicates) lines.push(`  ! dct:identifier "${d.identifier}" is shared by ${d.records.map((r) => `<${r}>`).join(', ')}`);
  for (const d of p.twoKinds.slice(0, 20)) lines.push(`  ! <${d.iri}> is typed as ${d.kinds.join(' and ')}`);
  for (const d of p.listedTwice.slice(0, 20)) lines.push(`  ! <${d.member}> is listed by ${d.catalogs.map((c) => `<${c}>`).join(', ')}`);
  for (const d of p.dangling.slice(0, 20)) lines.push(`  ! <${d.catalog}> lists <${d.member}>, which the document does not describe`);
  if (p.unrepresentable.length) lines.push(`  ✗ RDF/XML cannot name: ${p.unrepresentable.join(', ')}`);
  if (p.stable !== undefined) lines.push(`  ${p.stable ? '✓ a second fetch gave the same graph' : '✗ a second fetch gave another graph'}`);
  lines.push(
    `  caching: ${p.caching.etag ? `ETag ${p.caching.etag}` : 'no ETag'}, ${p.caching.lastModified ? `Last-Modified ${p.caching.lastModified}` : 'no Last-Modified'}${p.caching.cacheControl ? `, Cache-Control ${p.caching.cacheControl}` : ''}`,
  );
  if (p.urls)
    lines.push(
      `  distribution URLs: ${p.urls.fetched} fetched, ${p.urls.ok} answered 2xx${p.urls.skipped ? `, ${p.urls.skipped} not fetched (--max-urls)` : ''}`,
    );
  for (const q of p.quality) {
    const missed = q.missed.map((m) => `${m.metric} ${m.score}/${m.points}`).join(', ');
    lines.push(
      `  quality <${q.record}>: ${q.score} of ${q.measuredMax} measured points (${q.max} in all), ${q.rating}${missed ? `; to earn: ${missed}` : ''}${q.notMeasured.length ? `; not measured: ${q.notMeasured.join(', ')}` : ''}`,
    );
  }
  lines.push(p.problems.length === 0 ? '  ready to harvest' : p.problems.map((x) => `  problem: ${x}`).join('\n'));
  return lines.join('\n');
}
