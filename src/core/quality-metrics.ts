/**
 * The metrics of a dataset's quality score (docs/quality.md): Felles datakatalog's metadata quality
 * assessment (MQA), five dimensions and 435 points, every metric with its weight, where it is
 * measured, and in Norwegian and English what it asks and how to earn it. The metric IRIs are
 * Felles datakatalog's (`dcatno-mqa:`), so a score served here reads as one from data.norge.no.
 */

export const MQA_NAMESPACE = 'https://data.norge.no/vocabulary/dcatno-mqa#';
export const mqa = (local: string): string => MQA_NAMESPACE + local;

export const DIMENSIONS = ['findability', 'accessibility', 'interoperability', 'reusability', 'contextuality'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, { nb: string; nn: string; en: string }> = {
  findability: { nb: 'Søkbarhet', nn: 'Søkbarheit', en: 'Findability' },
  accessibility: { nb: 'Tilgjengelighet', nn: 'Tilgjengelegheit', en: 'Accessibility' },
  interoperability: { nb: 'Samhandlingsevne', nn: 'Samhandlingsevne', en: 'Interoperability' },
  reusability: { nb: 'Gjenbrukbarhet', nn: 'Gjenbrukbarheit', en: 'Reusability' },
  contextuality: { nb: 'Kontekst', nn: 'Kontekst', en: 'Contextuality' },
};

/**
 * Where a metric is measured: on the dataset, on each distribution, or on both (a date counts on
 * either). `web` metrics need the distribution's URLs fetched: only `katalog check` does that.
 */
export type MetricNode = 'dataset' | 'distribution' | 'both';

export interface MetricInfo {
  id: string;
  dimension: Dimension;
  points: number;
  on: MetricNode;
  web?: true;
  /** What the metric asks, and how to earn its points. */
  text: { nb: string; en: string };
  earn: { nb: string; en: string };
}

const metric = (
  id: string,
  dimension: Dimension,
  points: number,
  on: MetricNode,
  text: MetricInfo['text'],
  earn: MetricInfo['earn'],
  web?: true,
): MetricInfo => ({ id, dimension, points, on, text, earn, ...(web ? { web } : {}) });

/** Every metric, in Felles datakatalog's order; the points add up to MAX_SCORE. */
export const METRICS: readonly MetricInfo[] = [
  metric(
    'keywordAvailability',
    'findability',
    30,
    'dataset',
    { nb: 'Datasettet har emneord.', en: 'The dataset has keywords.' },
    {
      nb: 'Gi minst ett dcat:keyword (eller dct:subject) på datasettet, helst på bokmål, nynorsk og engelsk.',
      en: 'Give the dataset at least one dcat:keyword (or dct:subject), ideally in Bokmål, Nynorsk and English.',
    },
  ),
  metric(
    'categoryAvailability',
    'findability',
    30,
    'dataset',
    { nb: 'Datasettet har tema.', en: 'The dataset has a theme.' },
    {
      nb: 'Gi minst ett dcat:theme fra EUs datatemaer eller Los.',
      en: 'Give at least one dcat:theme from the EU data themes or Los.',
    },
  ),
  metric(
    'spatialAvailability',
    'findability',
    20,
    'dataset',
    { nb: 'Datasettet sier hvilket område det dekker.', en: 'The dataset says which area it covers.' },
    {
      nb: 'Gi dct:spatial, for eksempel et fylke eller en kommune fra Kartverket eller et land fra EUs landliste.',
      en: "Give dct:spatial, for example a county or municipality from the Norwegian Mapping Authority or a country from the EU's list.",
    },
  ),
  metric(
    'temporalAvailability',
    'findability',
    20,
    'dataset',
    { nb: 'Datasettet sier hvilken tid det dekker.', en: 'The dataset says which period it covers.' },
    {
      nb: 'Gi dct:temporal med en dct:PeriodOfTime (dcat:startDate og dcat:endDate).',
      en: 'Give dct:temporal with a dct:PeriodOfTime (dcat:startDate and dcat:endDate).',
    },
  ),
  metric(
    'accessUrlStatusCode',
    'accessibility',
    50,
    'distribution',
    { nb: 'Tilgangsadressen svarer (HTTP 2xx).', en: 'The access URL answers (HTTP 2xx).' },
    {
      nb: 'Sørg for at dcat:accessURL svarer med 200 på HEAD eller GET. Måles bare av katalog check, som henter adressene.',
      en: 'Make dcat:accessURL answer 200 to HEAD or GET. Measured only by katalog check, which fetches the URLs.',
    },
    true,
  ),
  metric(
    'downloadUrlAvailability',
    'accessibility',
    20,
    'distribution',
    { nb: 'Distribusjonen har en nedlastingsadresse.', en: 'The distribution has a download URL.' },
    {
      nb: 'Gi dcat:downloadURL når filen kan lastes ned direkte.',
      en: 'Give dcat:downloadURL when the file can be downloaded directly.',
    },
  ),
  metric(
    'downloadUrlStatusCode',
    'accessibility',
    30,
    'distribution',
    { nb: 'Nedlastingsadressen svarer (HTTP 2xx).', en: 'The download URL answers (HTTP 2xx).' },
    {
      nb: 'Sørg for at dcat:downloadURL svarer med 200. Måles bare av katalog check.',
      en: 'Make dcat:downloadURL answer 200. Measured only by katalog check.',
    },
    true,
  ),
  metric(
    'formatAvailability',
    'interoperability',
    20,
    'distribution',
    { nb: 'Distribusjonen oppgir format.', en: 'The distribution gives its format.' },
    {
      nb: 'Gi dct:format fra EUs filtypeliste (for eksempel CSV, JSON).',
      en: "Give dct:format from the EU's file-type list (for example CSV, JSON).",
    },
  ),
  metric(
    'mediaTypeAvailability',
    'interoperability',
    10,
    'distribution',
    { nb: 'Distribusjonen oppgir medietype.', en: 'The distribution gives its media type.' },
    {
      nb: 'Gi dcat:mediaType fra IANAs liste, for eksempel https://www.iana.org/assignments/media-types/text/csv.',
      en: "Give dcat:mediaType from IANA's list, for example https://www.iana.org/assignments/media-types/text/csv.",
    },
  ),
  metric(
    'formatMediaTypeVocabularyAlignment',
    'interoperability',
    10,
    'distribution',
    { nb: 'Format eller medietype er fra et kontrollert vokabular.', en: 'The format or media type is from a controlled vocabulary.' },
    {
      nb: 'Bruk en IRI fra EUs filtypeliste i dct:format eller en IANA-medietype i dcat:mediaType, ikke fritekst.',
      en: "Use an IRI from the EU's file-type list in dct:format or an IANA media type in dcat:mediaType, not free text.",
    },
  ),
  metric(
    'formatMediaTypeNonProprietary',
    'interoperability',
    20,
    'distribution',
    { nb: 'Formatet er åpent (ikke proprietært).', en: 'The format is open (non-proprietary).' },
    {
      nb: 'Tilby også et åpent format, for eksempel CSV, JSON, XML, GeoJSON eller RDF (listen i docs/quality.md).',
      en: 'Offer an open format too, for example CSV, JSON, XML, GeoJSON or RDF (the list is in docs/quality.md).',
    },
  ),
  metric(
    'formatMediaTypeMachineInterpretable',
    'interoperability',
    20,
    'distribution',
    { nb: 'Formatet kan leses av maskiner.', en: 'The format is machine-readable.' },
    {
      nb: 'Tilby et maskinlesbart format, for eksempel CSV, JSON, XML eller RDF, ikke bare PDF eller HTML.',
      en: 'Offer a machine-readable format, for example CSV, JSON, XML or RDF, not only PDF or HTML.',
    },
  ),
  metric(
    'dcatApCompliance',
    'interoperability',
    30,
    'dataset',
    { nb: 'Beskrivelsen følger profilen uten brudd eller advarsler.', en: 'The description meets its profile without violations or warnings.' },
    {
      nb: 'Rett alle brudd og advarsler som valideringen mot DCAT-AP-NO gir (se datasettets side eller POST /validate).',
      en: "Mend every violation and warning of the validation against DCAT-AP-NO (see the dataset's page or POST /validate).",
    },
  ),
  metric(
    'formatMatch',
    'interoperability',
    15,
    'distribution',
    { nb: 'Filen er av typen distribusjonen oppgir.', en: 'The file is of the type the distribution gives.' },
    {
      nb: 'Sørg for at nedlastingsadressen svarer med Content-Type lik oppgitt medietype eller format. Måles bare av katalog check.',
      en: 'Make the download URL answer with the Content-Type of the media type or format given. Measured only by katalog check.',
    },
    true,
  ),
  metric(
    'syntaxValid',
    'interoperability',
    15,
    'distribution',
    { nb: 'Filen kan leses i formatet den oppgir.', en: 'The file parses in the format it gives.' },
    {
      nb: 'Sørg for at filen er gyldig i formatet den sendes som. Måles bare av katalog check, for nedlastinger som sendes som JSON eller RDF, opp til 10 MB.',
      en: 'Make the file valid in the syntax it is served as. Measured only by katalog check, for downloads served as JSON or RDF, up to 10 MB.',
    },
    true,
  ),
  metric(
    'licenseAvailability',
    'reusability',
    20,
    'distribution',
    { nb: 'Distribusjonen har lisens.', en: 'The distribution has a licence.' },
    {
      nb: 'Gi dct:license på hver distribusjon.',
      en: 'Give dct:license on each distribution.',
    },
  ),
  metric(
    'knownLicense',
    'reusability',
    10,
    'distribution',
    { nb: 'Lisensen er kjent.', en: 'The licence is a known one.' },
    {
      nb: 'Bruk en lisens fra EUs lisensliste (for eksempel NLOD_2_0, CC_BY_4_0, CC0) eller NLOD- eller Creative Commons-adressen.',
      en: "Use a licence from the EU's licence list (for example NLOD_2_0, CC_BY_4_0, CC0) or the NLOD or Creative Commons URL.",
    },
  ),
  metric(
    'accessRightsAvailability',
    'reusability',
    10,
    'dataset',
    { nb: 'Datasettet oppgir tilgangsnivå.', en: 'The dataset gives its access rights.' },
    {
      nb: 'Gi dct:accessRights (offentlig, begrenset eller ikke-offentlig).',
      en: 'Give dct:accessRights (public, restricted or non-public).',
    },
  ),
  metric(
    'accessRightsVocabularyAlignment',
    'reusability',
    5,
    'dataset',
    { nb: 'Tilgangsnivået er fra EUs liste.', en: "The access rights are from the EU's list." },
    {
      nb: 'Bruk en IRI fra EUs tilgangsliste, for eksempel .../access-right/PUBLIC.',
      en: "Use an IRI from the EU's access-right list, for example .../access-right/PUBLIC.",
    },
  ),
  metric(
    'contactPointAvailability',
    'reusability',
    20,
    'dataset',
    { nb: 'Datasettet har kontaktpunkt.', en: 'The dataset has a contact point.' },
    {
      nb: 'Gi dcat:contactPoint med e-post, telefon eller nettside.',
      en: 'Give dcat:contactPoint with an email, phone or web page.',
    },
  ),
  metric(
    'publisherAvailability',
    'reusability',
    10,
    'dataset',
    { nb: 'Datasettet har utgiver.', en: 'The dataset has a publisher.' },
    {
      nb: 'Gi dct:publisher, helst Enhetsregisterets IRI for virksomheten.',
      en: "Give dct:publisher, ideally the organisation's IRI in the Central Coordinating Register.",
    },
  ),
  metric(
    'rightsAvailability',
    'contextuality',
    5,
    'distribution',
    { nb: 'Distribusjonen oppgir rettigheter.', en: 'The distribution gives its rights.' },
    {
      nb: 'Gi dct:rights på distribusjonen når noe annet enn lisensen gjelder.',
      en: 'Give dct:rights on the distribution when anything besides the licence applies.',
    },
  ),
  metric(
    'byteSizeAvailability',
    'contextuality',
    5,
    'distribution',
    { nb: 'Distribusjonen oppgir filstørrelse.', en: 'The distribution gives its size.' },
    {
      nb: 'Gi dcat:byteSize (antall byte som xsd:nonNegativeInteger).',
      en: 'Give dcat:byteSize (the number of bytes as xsd:nonNegativeInteger).',
    },
  ),
  metric(
    'dateIssuedAvailability',
    'contextuality',
    5,
    'both',
    { nb: 'Utgivelsesdato er oppgitt.', en: 'The date of issue is given.' },
    {
      nb: 'Gi dct:issued på datasettet eller distribusjonen.',
      en: 'Give dct:issued on the dataset or the distribution.',
    },
  ),
  metric(
    'dateModifiedAvailability',
    'contextuality',
    5,
    'both',
    { nb: 'Endringsdato er oppgitt.', en: 'The date of the latest change is given.' },
    {
      nb: 'Gi dct:modified på datasettet eller distribusjonen, og hold den oppdatert.',
      en: 'Give dct:modified on the dataset or the distribution, and keep it current.',
    },
  ),
];

export const MAX_SCORE = METRICS.reduce((sum, m) => sum + m.points, 0);

/** The metrics only `katalog check` measures (it fetches the URLs; the server never does). */
export const WEB_METRICS: readonly string[] = METRICS.filter((m) => m.web).map((m) => m.id);

/** A score's rating, from the share of the points measured that were earned. */
export const RATINGS = ['excellent', 'good', 'sufficient', 'poor'] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<Rating, { nb: string; nn: string; en: string }> = {
  excellent: { nb: 'Utmerket', nn: 'Utmerkt', en: 'Excellent' },
  good: { nb: 'God', nn: 'God', en: 'Good' },
  sufficient: { nb: 'Tilstrekkelig', nn: 'Tilstrekkeleg', en: 'Sufficient' },
  poor: { nb: 'Svak', nn: 'Svak', en: 'Poor' },
};

/**
 * The rating bands of the European data portal's assessment (351, 221 and 121 of its 405 points)
 * as shares, applied to the points that were measured: a server that cannot fetch URLs rates
 * what it could measure, and says so.
 */
export function ratingOf(score: number, measuredMax: number): Rating {
  if (measuredMax <= 0) return 'poor';
  const share = score / measuredMax;
  if (share >= 351 / 405) return 'excellent';
  if (share >= 221 / 405) return 'good';
  if (share >= 121 / 405) return 'sufficient';
  return 'poor';
}
