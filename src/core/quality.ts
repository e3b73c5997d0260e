import { readFileSync } from 'node:fs';
import type { Quad, Term } from '@rdfjs/types';
import { projectFile } from '../project-files.js';
import { DCAT, DCT } from './namespaces.js';
import { DIMENSIONS, type Dimension, MAX_SCORE, type MetricInfo, METRICS, type Rating, ratingOf } from './quality-metrics.js';
import { termKey } from './rdf-terms.js';
import { isOpenLicence } from './search-fields.js';
import type { VocabularyIndex } from './vocabularies.js';

/**
 * A dataset's quality score (docs/quality.md): every metric of quality-metrics.ts measured on the
 * dataset and on each of its distributions, and the score of the best distribution with the
 * dataset's own metrics, as Felles datakatalog adds them up. A pure function of the record's
 * triples, the vocabularies, the record's validation and (for `katalog check` only) what its URLs
 * answered: the server never fetches.
 */

/** The metrics measured on the dataset itself (alone, or as well as on its distributions). */
const DATASET_METRICS = METRICS.filter((m) => m.on !== 'distribution');

/** The predicates the metrics read, built once. */
const P = {
  distribution: DCAT('distribution'),
  keyword: DCAT('keyword'),
  subject: DCT('subject'),
  theme: DCAT('theme'),
  spatial: DCT('spatial'),
  temporal: DCT('temporal'),
  accessRights: DCT('accessRights'),
  contactPoint: DCAT('contactPoint'),
  publisher: DCT('publisher'),
  issued: DCT('issued'),
  modified: DCT('modified'),
  format: DCT('format'),
  mediaType: DCAT('mediaType'),
  license: DCT('license'),
  accessURL: DCAT('accessURL'),
  downloadURL: DCAT('downloadURL'),
  rights: DCT('rights'),
  byteSize: DCAT('byteSize'),
};

const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type';
/** A Norwegian licence for open government data or a Creative Commons licence or dedication, by its URL (http or https). */
const KNOWN_LICENCE_URL = /^https?:\/\/(data\.norge\.no\/nlod\/|creativecommons\.org\/(licenses|publicdomain)\/)/i;
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
  /** A metric of the dataset and its distributions (the dates): the dataset's own value and points. */
  dataset?: { value: boolean | number; score: number };
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
  // The objects of the root's and its distributions' triples, by predicate: two passes over the record.
  const NONE: Term[] = [];
  const objectsBy = (keep: (subject: Quad['subject']) => string | undefined) => {
    const found = new Map<string, Map<string, Term[]>>();
    for (const q of quads) {
      const key = keep(q.subject);
      if (key === undefined) continue;
      let own = found.get(key);
      if (!own) found.set(key, (own = new Map()));
      const list = own.get(q.predicate.value);
      if (list) list.push(q.object);
      else own.set(q.predicate.value, [q.object]);
    }
    return found;
  };
  const rootObjects = objectsBy((subject) => (subject.equals(root) ? '' : undefined)).get('') ?? new Map<string, Term[]>();
  const distributions = (rootObjects.get(P.distribution) ?? NONE).filter((d) => d.termType !== 'Literal');
  const distributionKeys = new Set(distributions.map(termKey));
  const distributionObjects =
    distributions.length === 0
      ? new Map<string, Map<string, Term[]>>()
      : objectsBy((subject) => {
          const key = termKey(subject);
          return distributionKeys.has(key) ? key : undefined;
        });
  const about = (node: Term, predicate: string): Term[] => (node === root ? rootObjects : distributionObjects.get(termKey(node)))?.get(predicate) ?? NONE;
  const has = (node: Term, predicate: string) => about(node, predicate).length > 0;
  const iris = (terms: Term[]) => terms.filter((t) => t.termType === 'NamedNode').map((t) => t.value);
  const { vocabularies, urls } = inputs;
  const inScheme = (iri: string, scheme: string) => vocabularies.membership(iri, scheme) !== 'outside';

  const datasetValues: Record<string, boolean | undefined> = {
    keywordAvailability: has(root, P.keyword) || has(root, P.subject),
    categoryAvailability: has(root, P.theme),
    spatialAvailability: has(root, P.spatial),
    temporalAvailability: has(root, P.temporal),
    dcatApCompliance: inputs.compliance?.conforms,
    accessRightsAvailability: has(root, P.accessRights),
    accessRightsVocabularyAlignment: iris(about(root, P.accessRights)).some((iri) => inScheme(iri, ACCESS_RIGHT)),
    contactPointAvailability: has(root, P.contactPoint),
    publisherAvailability: has(root, P.publisher),
    dateIssuedAvailability: has(root, P.issued),
    dateModifiedAvailability: has(root, P.modified),
  };

  const distributionValues = (d: Term): Record<string, boolean | number | undefined> => {
    const formats = about(d, P.format);
    const mediaTypes = about(d, P.mediaType);
    const formatIris = iris(formats);
    const licences = iris(about(d, P.license));
    const accessUrls = iris(about(d, P.accessURL));
    const downloadUrls = iris(about(d, P.downloadURL));
    const values: Record<string, boolean | number | undefined> = {
      downloadUrlAvailability: has(d, P.downloadURL),
      formatAvailability: formats.length > 0,
      mediaTypeAvailability: mediaTypes.length > 0,
      formatMediaTypeVocabularyAlignment: formatIris.some((iri) => inScheme(iri, FILE_TYPE)) || iris(mediaTypes).some((iri) => IANA.test(iri)),
      formatMediaTypeNonProprietary: formatIris.some((iri) => NON_PROPRIETARY.has(iri)),
      formatMediaTypeMachineInterpretable: formatIris.some((iri) => MACHINE_READABLE.has(iri)),
      licenseAvailability: has(d, P.license),
      knownLicense: licences.some((iri) => inScheme(iri, LICENCE) || isOpenLicence(iri) || KNOWN_LICENCE_URL.test(iri)),
      rightsAvailability: has(d, P.rights),
      byteSizeAvailability: has(d, P.byteSize),
      dateIssuedAvailability: has(d, P.issued),
      dateModifiedAvailability: has(d, P.modified),
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

  const measurementOf = (metric: MetricInfo, value: boolean | number | undefined): Measurement =>
    value === undefined ? { score: 0 } : { value, score: earned(metric, value) };

  const datasetMeasurements: Record<string, Measurement> = {};
  for (const m of DATASET_METRICS) datasetMeasurements[m.id] = measurementOf(m, datasetValues[m.id]);

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
    const own = m.on === 'both' && onDataset?.value !== undefined ? { dataset: { value: onDataset.value, score: onDataset.score } } : {};
    return { id: m.id, dimension: m.dimension, points: m.points, score: counted?.score ?? 0, measured, ...(value !== undefined ? { value } : {}), ...own };
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

export function qualityIndexOf(assessment: QualityAssessment): QualityIndex {
  return { score: assessment.score, rating: assessment.rating };
}
