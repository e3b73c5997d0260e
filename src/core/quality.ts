import { readFileSync } from 'node:fs';
import type { Quad, Term } from '@rdfjs/types';
import { projectFile } from '../project-files.js';
import { DCAT, DCT, RDF_TYPE } from './namespaces.js';
import { DIMENSIONS, type Dimension, MAX_SCORE, type MetricInfo, METRICS, type Rating, ratingOf } from './quality-metrics.js';
import { groupBySubject, termKey } from './rdf-terms.js';
import { isOpenLicence } from './search-fields.js';
import type { VocabularyIndex } from './vocabularies.js';

/**
 * A dataset's quality score (docs/quality.md): every metric of quality-metrics.ts measured on the
 * dataset and on each of its distributions, and the score of the best distribution with the
 * dataset's own metrics, as Felles datakatalog adds them up. A pure function of the record's
 * triples, the vocabularies, the record's validation and (for `katalog check` only) what its URLs
 * answered: the server never fetches.
 */

const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type';
const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right';
const LICENCE = 'http://publications.europa.eu/resource/authority/licence';
/** IANA's registry: a media type's IRI is this, its top-level type and its subtype. */
const IANA = /^https?:\/\/www\.iana\.org\/assignments\/media-types\/(application|audio|font|example|image|message|model|multipart|text|video)\/[^/\s]+$/i;

interface FormatLists {
  fileTypeNamespace: string;
  nonProprietary: string[];
  machineReadable: string[];
}
const lists = JSON.parse(readFileSync(projectFile('vocab', 'quality', 'formats.json'), 'utf8')) as FormatLists;
const NON_PROPRIETARY = new Set(lists.nonProprietary.map((code) => lists.fileTypeNamespace + code));
const MACHINE_READABLE = new Set(lists.machineReadable.map((code) => lists.fileTypeNamespace + code));

/** What `katalog check` found at one URL (absent: not fetched). */
export interface UrlFinding {
  /** The HTTP status, or 0 when nothing answered (refused, timed out, not a URL). */
  status: number;
  /** The Content-Type's media type, lower case, without parameters. */
  contentType?: string;
  /** Whether the body parsed in its syntax; absent when it was not read (too large, a syntax Katalog cannot read). */
  syntaxValid?: boolean;
}

export interface QualityInputs {
  vocabularies: VocabularyIndex;
  /**
   * The record's validation against its kind's default profile: conforms = no violation and no
   * warning. Absent: `dcatApCompliance` is not measured.
   */
  compliance?: { profile: string; conforms: boolean };
  /** What the URLs answered (katalog check); absent: the web metrics are not measured. */
  urls?: (url: string) => UrlFinding | undefined;
}

/** One metric on one node: its value (true/false, or an HTTP status) and the points it earns; value undefined: not measured. */
export interface Measurement {
  value?: boolean | number;
  score: number;
}

export interface DistributionQuality {
  node: Term;
  /** Its score with the dataset's own metrics (each metric counts the better of the two). */
  score: number;
  measurements: Record<string, Measurement>;
}

export interface MetricResult {
  id: string;
  dimension: Dimension;
  points: number;
  /** The points earned in the score (on the dataset or on the best distribution). */
  score: number;
  measured: boolean;
  /** The value that counted; absent when not measured. */
  value?: boolean | number;
}

export interface QualityAssessment {
  /** The dataset's IRI. */
  dataset: string;
  score: number;
  /** Every metric's points: 435. */
  max: number;
  /** The points of the metrics measured. */
  measuredMax: number;
  rating: Rating;
  dimensions: Array<{ id: Dimension; score: number; max: number; measuredMax: number }>;
  metrics: MetricResult[];
  /** The metrics not measured (the web metrics on the server; compliance without a validation). */
  notMeasured: string[];
  /** The index of the distribution whose score counts; absent without distributions. */
  best?: number;
  distributions: DistributionQuality[];
  /** What the validation of `dcatApCompliance` was against, when measured. */
  profile?: string;
}

/** The rating and score a search filters, counts and sorts by (docs/search.md). */
export interface QualityIndex {
  score: number;
  rating: Rating;
}

const earned = (metric: MetricInfo, value: boolean | number | undefined): number =>
  value === true || (typeof value === 'number' && value >= 200 && value < 300) ? metric.points : 0;

/** The best of the statuses found (a 2xx first, then the lowest); undefined when none was fetched. */
function bestStatus(findings: UrlFinding[]): number | undefined {
  if (findings.length === 0) return undefined;
  const ok = findings.find((f) => f.status >= 200 && f.status < 300);
  return ok ? ok.status : Math.min(...findings.map((f) => f.status));
}

/** Media types a format code is served as, for `formatMatch` when no dcat:mediaType is given. */
const FORMAT_MEDIA_TYPES: Record<string, string[]> = {
  CSV: ['text/csv'],
  TSV: ['text/tab-separated-values'],
  JSON: ['application/json'],
  GEOJSON: ['application/geo+json', 'application/vnd.geo+json'],
  JSON_LD: ['application/ld+json'],
  XML: ['application/xml', 'text/xml'],
  RDF_XML: ['application/rdf+xml'],
  RDF_TURTLE: ['text/turtle'],
  RDF_N_TRIPLES: ['application/n-triples'],
  RDF_N_QUADS: ['application/n-quads'],
  RDF_TRIG: ['application/trig'],
  HTML: ['text/html'],
  PDF: ['application/pdf'],
  TXT: ['text/plain'],
  ZIP: ['application/zip'],
  XLSX: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  XLS: ['application/vnd.ms-excel'],
  ODS: ['application/vnd.oasis.opendocument.spreadsheet'],
  KML: ['application/vnd.google-earth.kml+xml'],
};

/** The media types a distribution says it is: its dcat:mediaType (IANA IRIs or text) and its formats' usual ones. */
function declaredMediaTypes(mediaTypes: Term[], formats: Term[]): Set<string> {
  const declared = new Set<string>();
  for (const t of mediaTypes) {
    const m = /media-types\/([^/]+\/[^/]+)$/.exec(t.value);
    declared.add((m ? m[1]! : t.value).trim().toLowerCase());
  }
  for (const t of formats) {
    const code = t.value.slice(t.value.lastIndexOf('/') + 1).toUpperCase();
    for (const type of FORMAT_MEDIA_TYPES[code] ?? []) declared.add(type);
    if (t.termType === 'Literal' && t.value.includes('/')) declared.add(t.value.trim().toLowerCase());
  }
  return declared;
}

/**
 * The quality of the dataset `root` (a record's triples). Distributions are the root's
 * dcat:distribution nodes, IRIs or blank nodes alike.
 */
export function assessQuality(quads: Quad[], root: Term, inputs: QualityInputs): QualityAssessment {
  const bySubject = groupBySubject(quads);
  const about = (node: Term, predicate: string): Term[] =>
    (bySubject.get(termKey(node)) ?? []).filter((q) => q.predicate.value === predicate).map((q) => q.object);
  const has = (node: Term, predicate: string) => about(node, predicate).length > 0;
  const iris = (terms: Term[]) => terms.filter((t) => t.termType === 'NamedNode').map((t) => t.value);
  const { vocabularies, urls } = inputs;
  const inScheme = (iri: string, scheme: string) => vocabularies.membership(iri, scheme) !== 'outside';

  const datasetValues: Record<string, boolean | undefined> = {
    keywordAvailability: about(root, DCAT('keyword')).length > 0 || has(root, DCT('subject')),
    categoryAvailability: has(root, DCAT('theme')),
    spatialAvailability: has(root, DCT('spatial')),
    temporalAvailability: has(root, DCT('temporal')),
    dcatApCompliance: inputs.compliance?.conforms,
    accessRightsAvailability: has(root, DCT('accessRights')),
    accessRightsVocabularyAlignment: iris(about(root, DCT('accessRights'))).some((iri) => inScheme(iri, ACCESS_RIGHT)),
    contactPointAvailability: has(root, DCAT('contactPoint')),
    publisherAvailability: has(root, DCT('publisher')),
    dateIssuedAvailability: has(root, DCT('issued')),
    dateModifiedAvailability: has(root, DCT('modified')),
  };

  const distributionValues = (d: Term): Record<string, boolean | number | undefined> => {
    const formats = about(d, DCT('format'));
    const mediaTypes = about(d, DCAT('mediaType'));
    const formatIris = iris(formats);
    const licences = iris(about(d, DCT('license')));
    const accessUrls = iris(about(d, DCAT('accessURL')));
    const downloadUrls = iris(about(d, DCAT('downloadURL')));
    const values: Record<string, boolean | number | undefined> = {
      downloadUrlAvailability: has(d, DCAT('downloadURL')),
      formatAvailability: formats.length > 0,
      mediaTypeAvailability: mediaTypes.length > 0,
      formatMediaTypeVocabularyAlignment: formatIris.some((iri) => inScheme(iri, FILE_TYPE)) || iris(mediaTypes).some((iri) => IANA.test(iri)),
      formatMediaTypeNonProprietary: formatIris.some((iri) => NON_PROPRIETARY.has(iri)),
      formatMediaTypeMachineInterpretable: formatIris.some((iri) => MACHINE_READABLE.has(iri)),
      licenseAvailability: licences.length > 0 || has(d, DCT('license')),
      knownLicense: licences.some((iri) => inScheme(iri, LICENCE) || isOpenLicence(iri)),
      rightsAvailability: has(d, DCT('rights')),
      byteSizeAvailability: has(d, DCAT('byteSize')),
      dateIssuedAvailability: has(d, DCT('issued')),
      dateModifiedAvailability: has(d, DCT('modified')),
    };
    if (urls) {
      const found = (list: string[]) => list.map(urls).filter((f): f is UrlFinding => f !== undefined);
      const access = found(accessUrls);
      const download = found(downloadUrls);
      values.accessUrlStatusCode = accessUrls.length === 0 ? false : bestStatus(access);
      values.downloadUrlStatusCode = downloadUrls.length === 0 ? false : bestStatus(download);
      // The file is what the download URL gives, or the access URL when there is none.
      const links = downloadUrls.length > 0 ? downloadUrls : accessUrls;
      const fetched = downloadUrls.length > 0 ? download : access;
      if (links.length === 0 || fetched.length > 0) {
        const files = fetched.filter((f) => f.status >= 200 && f.status < 300);
        const declared = declaredMediaTypes(mediaTypes, formats);
        values.formatMatch = declared.size > 0 && files.some((f) => f.contentType !== undefined && declared.has(f.contentType));
        const parsed = files.filter((f) => f.syntaxValid !== undefined);
        // A file that answered but was not read (too large, a syntax not checked) is not measured.
        values.syntaxValid = files.length === 0 ? false : parsed.length > 0 ? parsed.some((f) => f.syntaxValid) : undefined;
      }
    }
    return values;
  };

  const distributions = about(root, DCAT('distribution')).filter((d) => d.termType !== 'Literal');
  const datasetMetrics = METRICS.filter((m) => m.on !== 'distribution');
  const measurementOf = (metric: MetricInfo, value: boolean | number | undefined): Measurement =>
    value === undefined ? { score: 0 } : { value, score: earned(metric, value) };

  const datasetMeasurements: Record<string, Measurement> = {};
  for (const m of datasetMetrics) datasetMeasurements[m.id] = measurementOf(m, datasetValues[m.id]);

  const perDistribution: DistributionQuality[] = distributions.map((node) => {
    const values = distributionValues(node);
    const measurements: Record<string, Measurement> = {};
    for (const m of METRICS) if (m.on !== 'dataset') measurements[m.id] = measurementOf(m, values[m.id]);
    let score = 0;
    for (const m of METRICS) score += Math.max(measurements[m.id]?.score ?? 0, datasetMeasurements[m.id]?.score ?? 0);
    return { node, score, measurements };
  });

  let best: number | undefined;
  perDistribution.forEach((d, i) => {
    if (best === undefined || d.score > perDistribution[best]!.score) best = i;
  });
  const chosen = best === undefined ? undefined : perDistribution[best]!;

  const metrics: MetricResult[] = METRICS.map((m) => {
    const onDataset = datasetMeasurements[m.id];
    const onDistribution = chosen?.measurements[m.id];
    // The measurement that counts: the one that earns more, the dataset's on a tie.
    const counted = onDistribution && (!onDataset || onDistribution.score > onDataset.score) ? onDistribution : onDataset;
    const distributionMeasured = m.on === 'dataset' ? false : chosen ? onDistribution?.value !== undefined : !m.web || urls !== undefined;
    const measured = onDataset?.value !== undefined || distributionMeasured;
    // A distribution metric of a dataset without distributions is measured and not earned (unless a web metric on the server).
    const value = counted?.value ?? (measured && !chosen && m.on === 'distribution' ? false : undefined);
    return { id: m.id, dimension: m.dimension, points: m.points, score: counted?.score ?? 0, measured, ...(value !== undefined ? { value } : {}) };
  });

  const score = metrics.reduce((sum, m) => sum + m.score, 0);
  const measuredMax = metrics.filter((m) => m.measured).reduce((sum, m) => sum + m.points, 0);
  return {
    dataset: root.value,
    score,
    max: MAX_SCORE,
    measuredMax,
    rating: ratingOf(score, measuredMax),
    dimensions: DIMENSIONS.map((id) => {
      const own = metrics.filter((m) => m.dimension === id);
      return {
        id,
        score: own.reduce((sum, m) => sum + m.score, 0),
        max: own.reduce((sum, m) => sum + m.points, 0),
        measuredMax: own.filter((m) => m.measured).reduce((sum, m) => sum + m.points, 0),
      };
    }),
    metrics,
    notMeasured: metrics.filter((m) => !m.measured).map((m) => m.id),
    ...(best !== undefined ? { best } : {}),
    distributions: perDistribution,
    ...(inputs.compliance ? { profile: inputs.compliance.profile } : {}),
  };
}

/** Whether a record's triples describe a dataset (only datasets are scored). */
export function isDatasetRoot(quads: Quad[], root: Term): boolean {
  return quads.some((q) => q.subject.equals(root) && q.predicate.value === RDF_TYPE && q.object.value === DCAT('Dataset'));
}

export function qualityIndexOf(assessment: QualityAssessment): QualityIndex {
  return { score: assessment.score, rating: assessment.rating };
}
