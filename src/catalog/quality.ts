import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { triplesOf } from '../core/serialize/representations.js';
import { projectFile } from '../project-files.js';
import { searchFieldsOf } from '../core/search-fields.js';
import { fieldsFromTriples } from '../store/search-plan.js';
import type { FieldsOf } from '../store/store.js';
import type { Kind } from '../core/kinds.js';
import { DCAT, DCT, DQV, RDF_TYPE, RDFS, XSD } from '../core/namespaces.js';
import { groupBySubject, termKey } from '../core/rdf-terms.js';
import { assessQuality, type QualityAssessment, type QualityIndex, qualityIndexOf, type UrlFinding } from '../core/quality.js';
import { type Dimension, DIMENSION_LABELS, type MetricNode, METRICS, mqa, type Rating, RATING_LABELS } from '../core/quality-metrics.js';
import type { ValidationResult } from '../core/validation/engine.js';
import type { ValidationResources } from './resources.js';
import { validateRecord } from './validator.js';

/**
 * A stored dataset's quality score (docs/quality.md) with what the server has: the vocabularies and
 * the record's validation against its kind's default profile (DCAT-AP-NO), whose violations and
 * warnings decide `dcatApCompliance`. Only datasets are scored.
 */

/**
 * What a score depends on besides the record: the code that computes it, the metrics, the format
 * lists, the vocabularies and the profiles. Their hash is part of every ETag that shows a score, so
 * that a release that scores otherwise is not answered 304.
 */
export function qualityFiles(): string[] {
  const self = fileURLToPath(import.meta.url);
  const ext = extname(self);
  const core = join(dirname(self), '..', 'core');
  return [
    self,
    join(core, `quality${ext}`),
    join(core, `quality-metrics${ext}`),
    projectFile('vocab', 'quality', 'formats.json'),
    projectFile('vocab', 'vocabularies.json'),
    projectFile('shapes', 'profiles.json'),
  ];
}

export const QUALITY_TAG = (() => {
  const hash = createHash('sha256');
  for (const file of qualityFiles()) hash.update(readFileSync(file));
  return hash.digest('base64url').slice(0, 8);
})();

/** A validation already made of the record: reused when it was against the default profile. */
export interface KnownVerdict {
  profile: string;
  results: readonly Pick<ValidationResult, 'severity'>[];
}

/** Whether results meet a profile for `dcatApCompliance`: no violation and no warning. */
const meets = (results: readonly Pick<ValidationResult, 'severity'>[]) => !results.some((r) => r.severity === 'Violation' || r.severity === 'Warning');

export function assessRecord(
  kind: Kind,
  quads: Quad[],
  root: Term,
  resources: ValidationResources,
  known?: KnownVerdict,
  urls?: (url: string) => UrlFinding | undefined,
): QualityAssessment | undefined {
  if (kind !== 'dataset') return undefined;
  const profile = resources.profiles.defaultFor(kind);
  let compliance: { profile: string; conforms: boolean } | undefined;
  if (profile) {
    const results = known?.profile === profile.info.id ? known.results : validateRecord(quads, profile, resources).results;
    compliance = { profile: profile.info.id, conforms: meets(results) };
  }
  return assessQuality(quads, root, { vocabularies: resources.vocabularies, ...(compliance ? { compliance } : {}), ...(urls ? { urls } : {}) });
}

/** A reindex's search fields of a stored record, with its quality score (`katalog reindex`). */
export function fieldsWithQuality(resources: ValidationResources): FieldsOf {
  return ({ iri, kind, nt }) => {
    if (kind !== 'dataset') return fieldsFromTriples({ iri, kind, nt });
    // The N-Triples parsed once, for the search fields and the score.
    let quads: Quad[];
    try {
      quads = triplesOf(nt);
    } catch {
      return undefined;
    }
    const root = DataFactory.namedNode(iri);
    const quality = qualityIndex(kind, quads, root, resources);
    return { ...searchFieldsOf(quads, root), ...(quality ? { quality } : {}) };
  };
}

/** What the search index keeps of a record's quality: its score and rating (undefined: not a dataset). */
export function qualityIndex(kind: Kind, quads: Quad[], root: Term, resources: ValidationResources, known?: KnownVerdict): QualityIndex | undefined {
  const assessment = assessRecord(kind, quads, root, resources, known);
  return assessment && qualityIndexOf(assessment);
}

/** A distribution of a quality report: its IRI (none for a blank node), a label a person knows it by, its score. */
export interface DistributionReport {
  index: number;
  iri?: string;
  label: string;
  score: number;
  best: boolean;
  measurements: Record<string, { value: boolean | number; score: number } | { measured: false }>;
}

/**
 * A dataset's quality as served (GET /datasets/{id}/quality, docs/quality.md): plain data, the JSON
 * answer as it is and the source of the DQV graph of every RDF syntax, so the two never differ.
 */
export interface QualityReport {
  dataset: string;
  /** The dataset in Katalog, and this report. */
  url: string;
  quality: string;
  modified?: string;
  score: number;
  max: number;
  measuredMax: number;
  rating: Rating;
  ratingLabel: { nb: string; nn: string; en: string };
  /** The profile `dcatApCompliance` was measured against. */
  profile?: string;
  notMeasured: string[];
  dimensions: Array<{ id: Dimension; iri: string; label: { nb: string; nn: string; en: string }; score: number; max: number; measuredMax: number }>;
  metrics: Array<{
    id: string;
    iri: string;
    dimension: Dimension;
    on: MetricNode;
    points: number;
    score: number;
    measured: boolean;
    value?: boolean | number;
    /** Measured on the dataset and its distributions (the dates): the dataset's own value and points. */
    dataset?: { value: boolean | number; score: number };
    text: { nb: string; en: string };
    /** How to earn the points: given while they are not all earned. */
    earn?: { nb: string; en: string };
  }>;
  /** How many distributions were assessed; at most MAX_REPORTED_DISTRIBUTIONS of them are listed, the best first. */
  distributionCount: number;
  distributions: DistributionReport[];
}

/**
 * Distributions a report lists: each has about 20 measurements (some 100 triples of DQV), so a
 * dataset of thousands would make a report ten times its own size. All are scored.
 */
export const MAX_REPORTED_DISTRIBUTIONS = 20;

/** The distributions a report lists: the best, then the others in order, at most MAX_REPORTED_DISTRIBUTIONS. */
function reported(assessment: QualityAssessment) {
  const all = assessment.distributions.map((d, index) => ({ d, index }));
  const best = assessment.best === undefined ? [] : [all[assessment.best]!];
  return [...best, ...all.filter(({ index }) => index !== assessment.best)].slice(0, MAX_REPORTED_DISTRIBUTIONS);
}

/** A distribution's label: its title, else its download or access URL, else its number. */
function distributionLabel(bySubject: Map<string, Quad[]>, node: Term, index: number): string {
  const own = bySubject.get(termKey(node)) ?? [];
  const of = (predicate: string) => own.find((q) => q.predicate.value === predicate)?.object.value;
  return (of(DCT('title')) ?? of(DCAT('downloadURL')) ?? of(DCAT('accessURL')) ?? `#${index + 1}`).slice(0, 500);
}

export function qualityReport(assessment: QualityAssessment, quads: Quad[], urls: { record: string; modified?: string }): QualityReport {
  const info = new Map(METRICS.map((m) => [m.id, m]));
  const bySubject = groupBySubject(quads);
  return {
    dataset: assessment.dataset,
    url: urls.record,
    quality: `${urls.record}/quality`,
    ...(urls.modified ? { modified: urls.modified } : {}),
    score: assessment.score,
    max: assessment.max,
    measuredMax: assessment.measuredMax,
    rating: assessment.rating,
    ratingLabel: { ...RATING_LABELS[assessment.rating] },
    ...(assessment.profile ? { profile: assessment.profile } : {}),
    notMeasured: assessment.notMeasured,
    dimensions: assessment.dimensions.map((d) => ({ ...d, iri: mqa(d.id), label: { ...DIMENSION_LABELS[d.id] } })),
    metrics: assessment.metrics.map((m) => {
      const metric = info.get(m.id)!;
      return {
        ...m,
        iri: mqa(m.id),
        on: metric.on,
        text: metric.text,
        ...(m.score < m.points ? { earn: metric.earn } : {}),
      };
    }),
    distributionCount: assessment.distributions.length,
    distributions: reported(assessment).map(({ d, index }) => ({
      index,
      ...(d.node.termType === 'NamedNode' ? { iri: d.node.value } : {}),
      label: distributionLabel(bySubject, d.node, index),
      score: d.score,
      best: index === assessment.best,
      measurements: Object.fromEntries(
        Object.entries(d.measurements).map(([id, m]) => [id, m.value === undefined ? { measured: false as const } : { value: m.value, score: m.score }]),
      ),
    })),
  };
}

const { namedNode, blankNode, literal, quad } = DataFactory;

/**
 * The report as DQV, the shape Felles datakatalog's assessments have: a dcatno-mqa:DatasetAssessment
 * of the dataset with one dqv:QualityMeasurement per measured metric (dqv:value, dcatno-mqa:score)
 * and the totals per dimension and in all (dcatno-mqa:{dimension}Scoring, dcatno-mqa:scoring), a
 * dcatno-mqa:DistributionAssessment per distribution; the dataset links each measurement with
 * dqv:hasQualityMeasurement too. Katalog's own terms ({base}/ns#) say the maxima, the rating, and
 * which metrics were not measured.
 */
export function qualityQuads(report: QualityReport, baseUrl: string): Quad[] {
  const ns = (local: string) => namedNode(`${baseUrl}/ns#${local}`);
  const out: Quad[] = [];
  const add = (s: Quad['subject'], p: string, o: Quad['object']) => out.push(quad(s, namedNode(p), o));
  const integer = (n: number) => literal(String(n), namedNode(XSD('integer')));
  const valueOf = (v: boolean | number) => (typeof v === 'boolean' ? literal(String(v), namedNode(XSD('boolean'))) : integer(v));
  const dataset = namedNode(report.dataset);
  const assessment = namedNode(report.quality);
  let count = 0;
  const measurement = (holder: Quad['subject'], on: Quad['subject'] | undefined, metric: string, value: boolean | number, score?: number) => {
    const m = blankNode(`m${count++}`);
    add(holder, mqa('containsQualityMeasurement'), m);
    add(m, RDF_TYPE, namedNode(DQV('QualityMeasurement')));
    add(m, DQV('isMeasurementOf'), namedNode(mqa(metric)));
    if (on) {
      add(m, DQV('computedOn'), on);
      add(on, DQV('hasQualityMeasurement'), m);
    }
    add(m, DQV('value'), valueOf(value));
    if (score !== undefined) add(m, mqa('score'), integer(score));
  };

  add(assessment, RDF_TYPE, namedNode(mqa('DatasetAssessment')));
  add(assessment, mqa('assessmentOf'), dataset);
  if (report.modified) add(assessment, DCT('modified'), literal(report.modified, namedNode(XSD('dateTime'))));
  add(assessment, `${baseUrl}/ns#maxScore`, integer(report.max));
  add(assessment, `${baseUrl}/ns#measuredMaxScore`, integer(report.measuredMax));
  add(assessment, `${baseUrl}/ns#rating`, ns(`rating-${report.rating}`));
  for (const [lang, text] of Object.entries(report.ratingLabel)) add(ns(`rating-${report.rating}`), RDFS('label'), literal(text, lang));
  for (const id of report.notMeasured) add(assessment, `${baseUrl}/ns#notMeasured`, namedNode(mqa(id)));
  if (report.profile) add(assessment, `${baseUrl}/ns#complianceProfile`, namedNode(`${baseUrl}/profiles/${report.profile}`));
  for (const m of report.metrics) {
    // A distribution's metric that counted is on its distribution's assessment; the dataset's here.
    // The dataset's own measurements; of a metric measured on both, the dataset's own value (the
    // best distribution's is on its assessment).
    if (m.on === 'dataset' && m.value !== undefined) measurement(assessment, dataset, m.id, m.value, m.score);
    if (m.on === 'both' && m.dataset) measurement(assessment, dataset, m.id, m.dataset.value, m.dataset.score);
  }
  for (const d of report.dimensions) measurement(assessment, dataset, `${d.id}Scoring`, d.score);
  measurement(assessment, dataset, 'scoring', report.score);

  for (const d of report.distributions) {
    const node = namedNode(`${report.quality}#distribution-${d.index + 1}`);
    const distribution = d.iri ? namedNode(d.iri) : undefined;
    add(assessment, mqa('hasDistributionAssessment'), node);
    add(node, RDF_TYPE, namedNode(mqa('DistributionAssessment')));
    if (distribution) add(node, mqa('assessmentOf'), distribution);
    add(node, RDFS('label'), literal(d.label));
    add(node, `${baseUrl}/ns#bestDistribution`, literal(String(d.best), namedNode(XSD('boolean'))));
    for (const [id, m] of Object.entries(d.measurements)) {
      if ('value' in m) measurement(node, distribution, id, m.value, m.score);
      else add(node, `${baseUrl}/ns#notMeasured`, namedNode(mqa(id)));
    }
    measurement(node, distribution, 'scoring', d.score);
  }
  return out;
}

/** The quality report of a stored dataset, from its N-Triples (GET /datasets/{id}/quality; a work-pool task for large records). */
export function storedQualityReport(record: { iri: string; nt: string; url: string; modified?: string }, resources: ValidationResources): QualityReport {
  const quads = triplesOf(record.nt);
  const assessment = assessRecord('dataset', quads, DataFactory.namedNode(record.iri), resources)!;
  return qualityReport(assessment, quads, { record: record.url, ...(record.modified ? { modified: record.modified } : {}) });
}
