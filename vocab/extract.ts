/**
 * Builds the controlled vocabularies in vocab/ from the reference files.
 *
 *   npx tsx vocab/extract.ts [REFERENCE_DIR]
 *
 * REFERENCE_DIR defaults to ../shared/reference, resolved against the project root (the parent of
 * this file's folder). A REFERENCE_DIR given on the command line is resolved against the current
 * working directory.
 *
 * For every vocabulary in VOCABULARIES below it reads the source file(s) under REFERENCE_DIR/vocab
 * (RDF/XML with rdfxml-streaming-parser, Turtle with n3), keeps only
 *   - the concept scheme(s): rdf:type skos:ConceptScheme, skos:prefLabel / dct:title in nb, nn, en;
 *   - each concept: rdf:type skos:Concept, skos:inScheme, skos:prefLabel in nb, nn, en,
 *     skos:notation, and owl:deprecated true when the source marks it deprecated,
 * and writes vocab/<id>.ttl plus the manifest vocab/vocabularies.json. The output is sorted, so a
 * re-run on the same input gives byte-identical files. See vocab/README.md.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Parser } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type * as RDF from '@rdfjs/types';

// ---------------------------------------------------------------------------------------------
// Namespaces
// ---------------------------------------------------------------------------------------------

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const SKOS_CONCEPT = `${SKOS}Concept`;
const SKOS_SCHEME = `${SKOS}ConceptScheme`;
const SKOS_IN_SCHEME = `${SKOS}inScheme`;
const SKOS_PREF_LABEL = `${SKOS}prefLabel`;
const SKOS_NOTATION = `${SKOS}notation`;
const SKOS_BROADER = `${SKOS}broader`;
const SKOS_TOP_CONCEPT_OF = `${SKOS}topConceptOf`;
const SKOS_HAS_TOP_CONCEPT = `${SKOS}hasTopConcept`;
const DCT_TITLE = 'http://purl.org/dc/terms/title';
const DC_IDENTIFIER = 'http://purl.org/dc/elements/1.1/identifier';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const OWL_DEPRECATED = 'http://www.w3.org/2002/07/owl#deprecated';
const OWL_VERSION_INFO = 'http://www.w3.org/2002/07/owl#versionInfo';
/** EU authority tables write `at:deprecated "true"` with at: = the *ontology* namespace ... */
const AT = 'http://publications.europa.eu/ontology/authority/';
/** ... older tables used the resource namespace (`atold:`); both are read. */
const ATOLD = 'http://publications.europa.eu/resource/authority/';

const PREFIXES: Record<string, string> = {
  dct: 'http://purl.org/dc/terms/',
  owl: 'http://www.w3.org/2002/07/owl#',
  skos: SKOS,
};

// ---------------------------------------------------------------------------------------------
// Provenance (copied from shared/reference/PROVENANCE.md and shared/reference/examples/fdk/PROVENANCE.md)
// ---------------------------------------------------------------------------------------------

interface Repo {
  repository: string;
  commit: string;
  licence: string;
}

const EU_DATA = 'EU Publications Office authority table, reuse authorised by Commission Decision 2011/833/EU (CC BY 4.0)';

const REPOS = {
  ioggstream: {
    repository: 'ioggstream/dati-eu-authority-tables',
    commit: '4c2e65b6346f8c4ba2dfff5db4b611e26d08f07e',
    licence: `${EU_DATA}; mirror repository code BSD-3-Clause`,
  },
  diggsweden: {
    repository: 'diggsweden/DCAT-AP-SE-Processor',
    commit: 'd387fc35c47aea06a294caf561385466af795994',
    licence: `${EU_DATA}; mirror's REUSE.toml labels the file CC0-1.0 (repository code EUPL-1.2)`,
  },
  piveau: {
    repository: 'piveau-data/piveau-shacl-validator',
    commit: 'e4660802582a5a4561338d0d490f95ecfad51cb2',
    licence: 'SEMIC ADMS controlled vocabularies, ISA Open Metadata Licence v1.1 (dcterms:license in the file); mirror repository Apache-2.0',
  },
  fdkReferenceData: {
    repository: 'Informasjonsforvaltning/fdk-reference-data',
    commit: '55830c3820a6a7fc3d6347c7c0030c67f9c98c31',
    licence: 'Apache-2.0 (repository LICENSE)',
  },
  cpsvApNo: {
    repository: 'Informasjonsforvaltning/cpsv-ap-no',
    commit: 'a074d87d944200749529672227e7905a2bdd8b77',
    licence: 'Apache-2.0 (repository LICENSE); the specification declares CC BY 4.0',
  },
  dcatApNo: {
    repository: 'Informasjonsforvaltning/dcat-ap-no',
    commit: '599eb030cabf3f9166497e562ad15d3bee51f71a',
    licence: 'Apache-2.0 (repository LICENSE); the specification declares CC BY 4.0',
  },
} satisfies Record<string, Repo>;

/** Files under REFERENCE_DIR: where each one was copied from. */
const SOURCE_FILES: Record<string, { repo: Repo; path: string; note?: string }> = {
  'vocab/eu/filetypes.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/filetypes/20220928-0/filetypes.rdf' },
  'vocab/eu/frequencies.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/frequencies/20220615-0/frequencies.rdf' },
  'vocab/eu/licences.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/licences/20220928-0/licences.rdf' },
  'vocab/eu/languages.ttl': {
    repo: REPOS.ioggstream,
    path: 'assets/vocabularies/languages/20220928-0/languages.ttl',
    note: "Turtle as converted by the mirror's harvester",
  },
  'vocab/eu/corporatebodies.ttl': {
    repo: REPOS.ioggstream,
    path: 'assets/vocabularies/corporatebodies/20220928-0/corporatebodies.ttl',
    note: "Turtle as converted by the mirror's harvester",
  },
  'vocab/eu/planned-availability.rdf': {
    repo: REPOS.ioggstream,
    path: 'assets/vocabularies/planned-availability/20211208-0/planned-availability.rdf',
  },
  'vocab/eu/dataset-types.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/dataset-types/20220316-0/dataset-types.rdf' },
  'vocab/eu/continents.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/continents/20210317-0/continents.rdf' },
  'vocab/eu/countries.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/countries/20220928-0/countries.rdf' },
  'vocab/eu/currencies.rdf': { repo: REPOS.ioggstream, path: 'assets/vocabularies/currencies/20220928-0/currencies.rdf' },
  'vocab/eu/access-right-skos.rdf': { repo: REPOS.diggsweden, path: 'src/main/resources/shapes/vocabularies/access-right-skos.rdf' },
  'vocab/eu/data-theme-skos.rdf': { repo: REPOS.diggsweden, path: 'src/main/resources/shapes/vocabularies/data-theme-skos.rdf' },
  'vocab/eu/distribution-status-skos.rdf': {
    repo: REPOS.diggsweden,
    path: 'src/main/resources/shapes/vocabularies/distribution-status-skos.rdf',
  },
  'vocab/eu/file-type.rdf': {
    repo: REPOS.diggsweden,
    path: 'src/main/resources/shapes/vocabularies/file-type.rdf',
    note: 'concept-scheme dereference: membership only, no labels',
  },
  'vocab/eu/frequency.rdf': {
    repo: REPOS.diggsweden,
    path: 'src/main/resources/shapes/vocabularies/frequency.rdf',
    note: 'concept-scheme dereference: membership only, no labels',
  },
  'vocab/eu/ADMS_SKOS_v1.00.rdf': { repo: REPOS.piveau, path: 'src/main/resources/rdf/ADMS_SKOS_v1.00.rdf' },
  'vocab/no/los.rdf': {
    repo: REPOS.fdkReferenceData,
    path: 'src/test/resources/los.rdf',
    note: 'test-fixture snapshot of https://psi.norge.no/los/all.rdf',
  },
  'vocab/no/fdk-main/adms-publisher-type.ttl': { repo: REPOS.fdkReferenceData, path: 'src/main/resources/rdf/adms-publisher-type.ttl' },
  'vocab/no/fdk-main/adms-status.ttl': { repo: REPOS.fdkReferenceData, path: 'src/main/resources/rdf/adms-status.ttl' },
  'vocab/no/fdk-main/eu-licences.ttl': { repo: REPOS.fdkReferenceData, path: 'src/main/resources/rdf/eu-licences.ttl' },
  'vocab/no/fdk-main/languages.ttl': { repo: REPOS.fdkReferenceData, path: 'src/main/resources/rdf/languages.ttl' },
  'vocab/no/fdk-test/evidence-type.ttl': { repo: REPOS.fdkReferenceData, path: 'src/test/resources/evidence-type.ttl', note: 'test fixture' },
  'vocab/no/fdk-test/service-channel-type.ttl': {
    repo: REPOS.fdkReferenceData,
    path: 'src/test/resources/service-channel-type.ttl',
    note: 'test fixture',
  },
  'vocab/no/fdk-test/role-type.ttl': { repo: REPOS.fdkReferenceData, path: 'src/test/resources/role-type.ttl', note: 'test fixture' },
  'vocab/no/fdk-test/legal-resource-type.ttl': {
    repo: REPOS.fdkReferenceData,
    path: 'src/test/resources/legal-resource-type.ttl',
    note: 'test fixture',
  },
  'vocab/no/fdk-test/audience-type.ttl': { repo: REPOS.fdkReferenceData, path: 'src/test/resources/audience-type.ttl', note: 'test fixture' },
  // Example files scanned for event-type IRIs (see EXAMPLE_DIRS).
  'shapes/cpsv-ap-no-1.1/examples/exAlleKlasser.ttl': { repo: REPOS.cpsvApNo, path: 'examples/exAlleKlasser.ttl' },
  'shapes/cpsv-ap-no-1.1/examples/exOffentligTjeneste.ttl': { repo: REPOS.cpsvApNo, path: 'examples/exOffentligTjeneste.ttl' },
};

/** Folders scanned (as text) for IRIs of the vocabularies that have no published list in the reference. */
const EXAMPLE_DIRS = ['shapes/cpsv-ap-no-1.1/examples', 'examples/fdk'];

/** examples/fdk/<repo>/... files: repository and commit from examples/fdk/PROVENANCE.md. */
const FDK_EXAMPLE_REPOS: Record<string, string> = {
  'dcat-ap-no': '599eb030cabf3f9166497e562ad15d3bee51f71a',
  'fdk-dataset-harvester': '28413a0eca255cc3f6d43e35af51573a439b27d6',
  'fdk-rdf-parser': '4a7b379db5ca25372f08866c232dd6116496d0ba',
  'service-catalog': 'aa080fab87bd3883679c595cd6050f5e01e011e7',
  'fdk-publicservice-harvester': 'f760af9510867814fbeceaf3deb7579978c4b1f5',
  'dcat-ap-no-validator-service': 'a830297a33a2c8371cf93c95b4f9c054f21a9a7d',
};

// ---------------------------------------------------------------------------------------------
// Vocabulary definitions
// ---------------------------------------------------------------------------------------------

interface Title {
  nb: string;
  en: string;
}

type Extra =
  /** add nb/nn/en labels to concepts already taken from the primary source (never adds concepts) */
  | { file: string; use: 'labels' }
  /** add concepts that are members of the scheme only in this file (label = notation = code) */
  | { file: string; use: 'codes' };

interface FileVocab {
  kind: 'file';
  id: string;
  /** Scheme(s) whose concepts are kept; the first is the manifest's `scheme`. */
  schemes: string[];
  /** Other concept schemes declared in the file and kept (structure only, e.g. the Los theme structure). */
  structureSchemes?: string[];
  file: string;
  extras?: Extra[];
  title: Title;
  complete: boolean;
  /** Keep skos:broader / skos:topConceptOf / skos:hasTopConcept (Los only). */
  keepHierarchy?: boolean;
  /** Namespace used as the concept prefix `c:` in the output (for size). */
  conceptNamespace?: string;
  /** Extra namespaces for output prefixes. */
  namespaces?: Record<string, string>;
  note?: string;
}

interface CuratedVocab {
  kind: 'curated';
  id: string;
  schemes: [string];
  title: Title;
  conceptNamespace: string;
  concepts: string[];
  note: string;
}

interface ExampleVocab {
  kind: 'examples';
  id: string;
  schemes: [string];
  title: Title;
  /** IRIs in the example files that start with this are the concepts. */
  conceptNamespace: string;
  note: string;
}

type Vocab = FileVocab | CuratedVocab | ExampleVocab;

const AUTH = 'http://publications.europa.eu/resource/authority/';
const NORGE = 'https://data.norge.no/vocabulary/';
const FIXTURE_NOTE =
  'Only copy in the reference is an FDK test fixture (fdk-reference-data src/test/resources), which may lag the live list at data.norge.no; a value outside it is reported as a warning, not an error.';

const VOCABULARIES: Vocab[] = [
  {
    kind: 'file',
    id: 'data-theme',
    schemes: [`${AUTH}data-theme`],
    file: 'vocab/eu/data-theme-skos.rdf',
    title: { nb: 'Datatema', en: 'Data theme' },
    complete: true,
    conceptNamespace: `${AUTH}data-theme/`,
  },
  {
    kind: 'file',
    id: 'file-type',
    schemes: [`${AUTH}file-type`],
    file: 'vocab/eu/filetypes.rdf',
    extras: [{ file: 'vocab/eu/file-type.rdf', use: 'codes' }],
    title: { nb: 'Filtype', en: 'File type' },
    complete: true,
    conceptNamespace: `${AUTH}file-type/`,
    note: 'Labelled concepts from filetypes.rdf (20220928-0); codes that are only in the newer membership list file-type.rdf (20260318-0) are added with the code as label.',
  },
  {
    kind: 'file',
    id: 'access-right',
    schemes: [`${AUTH}access-right`],
    file: 'vocab/eu/access-right-skos.rdf',
    title: { nb: 'Tilgangsnivå', en: 'Access right' },
    complete: true,
    conceptNamespace: `${AUTH}access-right/`,
  },
  {
    kind: 'file',
    id: 'frequency',
    schemes: [`${AUTH}frequency`],
    file: 'vocab/eu/frequencies.rdf',
    extras: [{ file: 'vocab/eu/frequency.rdf', use: 'codes' }],
    title: { nb: 'Frekvens', en: 'Frequency' },
    complete: true,
    conceptNamespace: `${AUTH}frequency/`,
    note: 'Labelled concepts from frequencies.rdf (20220615-0); codes that are only in the newer membership list frequency.rdf (20260617-0) are added with the code as label.',
  },
  {
    kind: 'file',
    id: 'language',
    schemes: [`${AUTH}language`],
    file: 'vocab/eu/languages.ttl',
    extras: [{ file: 'vocab/no/fdk-main/languages.ttl', use: 'labels' }],
    title: { nb: 'Språk', en: 'Language' },
    complete: true,
    conceptNamespace: `${AUTH}language/`,
    note: 'Most of the 8000+ codes have a label only in the language itself; those get their code as label. nb/nn labels for NOB, NOR, ENG, SMI come from FDK languages.ttl.',
  },
  {
    kind: 'file',
    id: 'licence',
    schemes: [`${AUTH}licence`],
    file: 'vocab/eu/licences.rdf',
    extras: [{ file: 'vocab/no/fdk-main/eu-licences.ttl', use: 'labels' }],
    title: { nb: 'Lisens', en: 'Licence' },
    complete: true,
    conceptNamespace: `${AUTH}licence/`,
    note: 'Norwegian labels (tagged "no" in the source, kept as nb) for CC_BY_4_0, CC0 and NLOD_2_0 come from FDK eu-licences.ttl.',
  },
  {
    kind: 'file',
    id: 'dataset-type',
    schemes: [`${AUTH}dataset-type`],
    file: 'vocab/eu/dataset-types.rdf',
    title: { nb: 'Datasettype', en: 'Dataset type' },
    complete: true,
    conceptNamespace: `${AUTH}dataset-type/`,
  },
  {
    kind: 'file',
    id: 'planned-availability',
    schemes: [`${AUTH}planned-availability`],
    file: 'vocab/eu/planned-availability.rdf',
    title: { nb: 'Planlagt tilgjengelighet', en: 'Planned availability' },
    complete: true,
    conceptNamespace: `${AUTH}planned-availability/`,
  },
  {
    kind: 'file',
    id: 'distribution-status',
    schemes: [`${AUTH}distribution-status`],
    file: 'vocab/eu/distribution-status-skos.rdf',
    title: { nb: 'Distribusjonsstatus', en: 'Distribution status' },
    complete: true,
    conceptNamespace: `${AUTH}distribution-status/`,
  },
  {
    kind: 'file',
    id: 'corporate-body',
    schemes: [`${AUTH}corporate-body`],
    file: 'vocab/eu/corporatebodies.ttl',
    title: { nb: 'EU-organ', en: 'Corporate body' },
    complete: true,
    conceptNamespace: `${AUTH}corporate-body/`,
    note: 'Trimmed to concepts with en labels (the table has no nb/nn); hierarchy, alt labels and mapped codes dropped.',
  },
  {
    kind: 'file',
    id: 'country',
    schemes: [`${AUTH}country`],
    file: 'vocab/eu/countries.rdf',
    title: { nb: 'Land', en: 'Country' },
    complete: true,
    conceptNamespace: `${AUTH}country/`,
  },
  {
    kind: 'file',
    id: 'continent',
    schemes: [`${AUTH}continent`],
    file: 'vocab/eu/continents.rdf',
    title: { nb: 'Kontinent', en: 'Continent' },
    complete: true,
    conceptNamespace: `${AUTH}continent/`,
  },
  {
    kind: 'file',
    id: 'currency',
    schemes: [`${AUTH}currency`],
    file: 'vocab/eu/currencies.rdf',
    title: { nb: 'Valuta', en: 'Currency' },
    complete: true,
    conceptNamespace: `${AUTH}currency/`,
  },
  {
    kind: 'file',
    id: 'los',
    schemes: ['https://psi.norge.no/los/ontologi/tema', 'https://psi.norge.no/los/ontologi/ord', 'https://psi.norge.no/los/ontologi/hendelse'],
    structureSchemes: ['https://psi.norge.no/los/struktur'],
    file: 'vocab/no/los.rdf',
    title: { nb: 'Los', en: 'Los' },
    complete: false,
    keepHierarchy: true,
    namespaces: {
      tema: 'https://psi.norge.no/los/tema/',
      ord: 'https://psi.norge.no/los/ord/',
      hendelse: 'https://psi.norge.no/los/hendelse/',
    },
    note: 'Three concept schemes (tema: themes, ord: words, hendelse: events) plus the theme structure scheme los/struktur whose top concepts are the 14 main themes; skos:broader is kept. "*" placeholder labels are dropped. The reference copy is an FDK test-fixture snapshot of psi.norge.no/los/all.rdf, and Los gains words over time, so a value outside it is reported as a warning.',
  },
  {
    kind: 'file',
    id: 'adms-status',
    schemes: ['http://purl.org/adms/status/1.0'],
    file: 'vocab/eu/ADMS_SKOS_v1.00.rdf',
    extras: [{ file: 'vocab/no/fdk-main/adms-status.ttl', use: 'labels' }],
    title: { nb: 'Status (ADMS)', en: 'Status (ADMS)' },
    complete: true,
    conceptNamespace: 'http://purl.org/adms/status/',
    note: 'Concepts and en labels from ADMS_SKOS v1.00; nb/nn labels from FDK adms-status.ttl.',
  },
  {
    kind: 'file',
    id: 'adms-publisher-type',
    schemes: ['http://purl.org/adms/publishertype/1.0'],
    file: 'vocab/eu/ADMS_SKOS_v1.00.rdf',
    extras: [{ file: 'vocab/no/fdk-main/adms-publisher-type.ttl', use: 'labels' }],
    title: { nb: 'Utgivertype', en: 'Publisher type' },
    complete: true,
    conceptNamespace: 'http://purl.org/adms/publishertype/',
    note: 'Concepts and en labels from ADMS_SKOS v1.00; nb/nn labels from FDK adms-publisher-type.ttl.',
  },
  {
    kind: 'file',
    id: 'evidence-type',
    schemes: [`${NORGE}evidence-type`],
    file: 'vocab/no/fdk-test/evidence-type.ttl',
    title: { nb: 'Dokumentasjonstype', en: 'Evidence type' },
    complete: false,
    conceptNamespace: `${NORGE}evidence-type#`,
    note: FIXTURE_NOTE,
  },
  {
    kind: 'file',
    id: 'service-channel-type',
    schemes: [`${NORGE}service-channel-type`],
    file: 'vocab/no/fdk-test/service-channel-type.ttl',
    title: { nb: 'Tjenestekanaltype', en: 'Service channel type' },
    complete: false,
    conceptNamespace: `${NORGE}service-channel-type#`,
    note: FIXTURE_NOTE,
  },
  {
    kind: 'file',
    id: 'role-type',
    schemes: [`${NORGE}role-type`],
    file: 'vocab/no/fdk-test/role-type.ttl',
    title: { nb: 'Rolletype', en: 'Role type' },
    complete: false,
    conceptNamespace: `${NORGE}role-type#`,
    note: FIXTURE_NOTE,
  },
  {
    kind: 'file',
    id: 'legal-resource-type',
    schemes: [`${NORGE}legal-resource-type`],
    file: 'vocab/no/fdk-test/legal-resource-type.ttl',
    title: { nb: 'Regulativ ressurstype', en: 'Legal resource type' },
    complete: false,
    conceptNamespace: `${NORGE}legal-resource-type#`,
    note: FIXTURE_NOTE,
  },
  {
    kind: 'file',
    id: 'audience-type',
    schemes: [`${NORGE}audience-type`],
    file: 'vocab/no/fdk-test/audience-type.ttl',
    title: { nb: 'Målgruppetype', en: 'Audience type' },
    complete: false,
    conceptNamespace: `${NORGE}audience-type#`,
    note: FIXTURE_NOTE,
  },
  {
    kind: 'curated',
    id: 'media-type',
    schemes: ['https://www.iana.org/assignments/media-types'],
    title: { nb: 'Medietype (IANA)', en: 'Media type (IANA)' },
    conceptNamespace: 'https://www.iana.org/assignments/media-types/',
    note: 'Curated list of common IANA-registered media types (not the full IANA registry, which is not in the reference); a value outside it is reported as a warning.',
    // Every entry is registered at https://www.iana.org/assignments/media-types/ (no x- or unregistered types).
    concepts: [
      'application/atom+xml',
      'application/geo+json',
      'application/geopackage+sqlite3',
      'application/gml+xml',
      'application/gzip',
      'application/json',
      'application/ld+json',
      'application/msword',
      'application/n-quads',
      'application/n-triples',
      'application/octet-stream',
      'application/pdf',
      'application/rdf+xml',
      'application/sparql-query',
      'application/sparql-results+json',
      'application/sparql-results+xml',
      'application/sql',
      'application/trig',
      'application/vnd.google-earth.kml+xml',
      'application/vnd.google-earth.kmz',
      'application/vnd.ms-excel',
      'application/vnd.oai.openapi',
      'application/vnd.oai.openapi+json',
      'application/vnd.oasis.opendocument.spreadsheet',
      'application/vnd.oasis.opendocument.text',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/xml',
      'application/yaml',
      'application/zip',
      'image/jpeg',
      'image/png',
      'image/svg+xml',
      'image/tiff',
      'text/csv',
      'text/html',
      'text/markdown',
      'text/plain',
      'text/tab-separated-values',
      'text/turtle',
      'text/xml',
    ],
  },
  {
    kind: 'examples',
    id: 'life-event-type',
    schemes: [`${NORGE}life-event-type`],
    title: { nb: 'Livshendelsestype', en: 'Life event type' },
    conceptNamespace: `${NORGE}life-event-type#`,
    note: 'The published list was not found in the reference or in the searchable GitHub index; only the concepts used in the reference examples are listed, labelled with their code. A value outside it is reported as a warning.',
  },
  {
    kind: 'examples',
    id: 'business-event-type',
    schemes: [`${NORGE}business-event-type`],
    title: { nb: 'Virksomhetshendelsestype', en: 'Business event type' },
    conceptNamespace: `${NORGE}business-event-type#`,
    note: 'The published list was not found in the reference or in the searchable GitHub index; only the concepts used in the reference examples are listed, labelled with their code. A value outside it is reported as a warning.',
  },
  {
    kind: 'examples',
    id: 'event-type',
    schemes: [`${NORGE}event-type`],
    title: { nb: 'Hendelsestype', en: 'Event type' },
    conceptNamespace: `${NORGE}event-type#`,
    note: 'The published list was not found in the reference or in the searchable GitHub index; only the concepts used in the reference examples are listed, labelled with their code. A value outside it is reported as a warning.',
  },
];

// ---------------------------------------------------------------------------------------------
// Reading RDF
// ---------------------------------------------------------------------------------------------

/** Subject IRI -> predicate IRI -> objects. Blank-node subjects are skipped (nothing kept needs them). */
type Index = Map<string, Map<string, RDF.Term[]>>;

async function readQuads(file: string): Promise<RDF.Quad[]> {
  if (file.endsWith('.ttl')) {
    return new Parser({ baseIRI: pathToFileURL(file).href }).parse(readFileSync(file, 'utf8')) as RDF.Quad[];
  }
  if (file.endsWith('.rdf') || file.endsWith('.xml')) {
    return new Promise((resolve, reject) => {
      const quads: RDF.Quad[] = [];
      const parser = new RdfXmlParser({ baseIRI: pathToFileURL(file).href });
      createReadStream(file)
        .on('error', reject)
        .pipe(parser)
        .on('data', (q: RDF.Quad) => quads.push(q))
        .on('error', reject)
        .on('end', () => resolve(quads));
    });
  }
  throw new Error(`unknown RDF syntax: ${file}`);
}

async function readIndex(file: string): Promise<Index> {
  const index: Index = new Map();
  for (const q of await readQuads(file)) {
    if (q.subject.termType !== 'NamedNode') continue;
    let po = index.get(q.subject.value);
    if (!po) index.set(q.subject.value, (po = new Map()));
    const objects = po.get(q.predicate.value);
    if (objects) objects.push(q.object);
    else po.set(q.predicate.value, [q.object]);
  }
  return index;
}

function objects(index: Index, s: string, p: string): RDF.Term[] {
  return index.get(s)?.get(p) ?? [];
}

function hasIri(index: Index, s: string, p: string, o: string): boolean {
  return objects(index, s, p).some((t) => t.termType === 'NamedNode' && t.value === o);
}

function iris(index: Index, s: string, p: string): string[] {
  return objects(index, s, p)
    .filter((t) => t.termType === 'NamedNode')
    .map((t) => t.value);
}

function literals(index: Index, s: string, p: string): RDF.Literal[] {
  return objects(index, s, p).filter((t): t is RDF.Literal => t.termType === 'Literal');
}

// ---------------------------------------------------------------------------------------------
// Trimming
// ---------------------------------------------------------------------------------------------

/** Label per language; '' = untagged. */
type Labels = Map<string, string>;

const LANGS = ['en', 'nb', 'nn'] as const;

/**
 * Keeps nb, nn and en. A "no" label becomes nb when there is no nb label; an untagged label becomes
 * en when there is no en label. Empty and "*" (placeholder) labels are dropped. If a language has
 * several labels (not allowed by SKOS, but seen), the first in code-point order is kept.
 */
function pickLabels(lits: RDF.Literal[]): Labels {
  const byLang = new Map<string, string[]>();
  for (const l of lits) {
    const value = l.value.trim();
    if (value === '' || value === '*') continue;
    const lang = (l.language ?? '').toLowerCase().split('-')[0] ?? '';
    const list = byLang.get(lang);
    if (list) list.push(value);
    else byLang.set(lang, [value]);
  }
  const first = (lang: string): string | undefined => byLang.get(lang)?.slice().sort(compare)[0];
  const out: Labels = new Map();
  const en = first('en') ?? first('');
  const nb = first('nb') ?? first('no');
  const nn = first('nn');
  if (en !== undefined) out.set('en', en);
  if (nb !== undefined) out.set('nb', nb);
  if (nn !== undefined) out.set('nn', nn);
  return out;
}

function mergeLabels(into: Labels, from: Labels): number {
  let added = 0;
  for (const [lang, value] of from) {
    if (!into.has(lang)) {
      into.set(lang, value);
      added++;
    }
  }
  return added;
}

function isTrue(t: RDF.Term): boolean {
  return t.termType === 'Literal' && t.value.trim().toLowerCase() === 'true';
}

/** at:deprecated "true", atold:deprecated "true", owl:deprecated true, or an at:end.use date. */
function isDeprecated(index: Index, s: string): boolean {
  return (
    objects(index, s, `${AT}deprecated`).some(isTrue) ||
    objects(index, s, `${ATOLD}deprecated`).some(isTrue) ||
    objects(index, s, OWL_DEPRECATED).some(isTrue) ||
    literals(index, s, `${AT}end.use`).length > 0 ||
    literals(index, s, `${ATOLD}end.use`).length > 0
  );
}

/** Literal skos:notation, else the EU table's authority code, else dc:identifier (EU tables only). */
function notationOf(index: Index, s: string): string | undefined {
  const pick = (lits: RDF.Literal[]): string | undefined =>
    lits
      .map((l) => l.value.trim())
      .filter((v) => v !== '')
      .sort(compare)[0];
  return (
    pick(literals(index, s, SKOS_NOTATION)) ??
    pick(literals(index, s, `${AT}authority-code`)) ??
    (s.startsWith(AUTH) ? pick(literals(index, s, DC_IDENTIFIER)) : undefined)
  );
}

function localName(iri: string): string {
  const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return decodeURIComponent(iri.slice(cut + 1));
}

interface Concept {
  iri: string;
  schemes: Set<string>;
  labels: Labels;
  notation?: string;
  deprecated: boolean;
  broader: Set<string>;
  topConceptOf: Set<string>;
  /** The label is the code because the source has no nb/nn/en label. */
  codeLabel: boolean;
}

interface Scheme {
  iri: string;
  labels: Labels;
  titles: Labels;
  hasTopConcept: Set<string>;
}

interface Source {
  /** path under REFERENCE_DIR */
  file: string | null;
  repository: string | null;
  commit: string | null;
  licence: string | null;
  path?: string;
  note?: string;
}

interface Built {
  vocab: Vocab;
  schemes: Scheme[];
  concepts: Concept[];
  version?: string;
  source: Source;
  supplements: (Source & { use: string })[];
  stats: Record<string, number>;
}

function sourceOf(file: string): Source {
  const known = SOURCE_FILES[file];
  if (known) {
    return {
      file,
      repository: known.repo.repository,
      commit: known.repo.commit,
      licence: known.repo.licence,
      path: known.path,
      ...(known.note ? { note: known.note } : {}),
    };
  }
  const m = /^examples\/fdk\/([^/]+)\/(.+)$/.exec(file);
  const commit = m?.[1] ? FDK_EXAMPLE_REPOS[m[1]] : undefined;
  if (m?.[1] && m[2] && commit) {
    return {
      file,
      repository: `Informasjonsforvaltning/${m[1]}`,
      commit,
      licence: 'Apache-2.0 (repository LICENSE)',
      path: m[2],
    };
  }
  throw new Error(`no provenance recorded for ${file}; add it to SOURCE_FILES in vocab/extract.ts`);
}

function versionOf(index: Index, scheme: string): string | undefined {
  const lit = literals(index, scheme, OWL_VERSION_INFO)[0] ?? literals(index, scheme, `${AT}table.version.number`)[0];
  return lit?.value.trim() || undefined;
}

function primaryScheme(v: Vocab): string {
  return v.schemes[0] as string;
}

function schemeFrom(index: Index, iri: string): Scheme {
  const labels = pickLabels(literals(index, iri, SKOS_PREF_LABEL));
  const titles = pickLabels(literals(index, iri, DCT_TITLE));
  if (labels.size === 0 && titles.size === 0) {
    for (const [lang, v] of pickLabels(literals(index, iri, RDFS_LABEL))) labels.set(lang, v);
  }
  return { iri, labels, titles, hasTopConcept: new Set() };
}

async function buildFromFile(ref: string, v: FileVocab): Promise<Built> {
  const index = await readIndex(path.join(ref, v.file));
  const stats: Record<string, number> = {};
  const schemes: Scheme[] = [];
  for (const iri of [...v.schemes, ...(v.structureSchemes ?? [])]) {
    if (!hasIri(index, iri, RDF_TYPE, SKOS_SCHEME)) throw new Error(`${v.file}: <${iri}> is not a skos:ConceptScheme`);
    const scheme = schemeFrom(index, iri);
    if (v.keepHierarchy) for (const top of iris(index, iri, SKOS_HAS_TOP_CONCEPT)) scheme.hasTopConcept.add(top);
    schemes.push(scheme);
  }
  const wanted = new Set(v.schemes);
  const structure = new Set(v.structureSchemes ?? []);

  const concepts = new Map<string, Concept>();
  for (const s of index.keys()) {
    if (!hasIri(index, s, RDF_TYPE, SKOS_CONCEPT)) continue;
    const inSchemes = iris(index, s, SKOS_IN_SCHEME).filter((x) => wanted.has(x));
    if (inSchemes.length === 0) continue;
    const notation = notationOf(index, s);
    const c: Concept = {
      iri: s,
      schemes: new Set(inSchemes),
      labels: pickLabels(literals(index, s, SKOS_PREF_LABEL)),
      deprecated: isDeprecated(index, s),
      broader: new Set(),
      topConceptOf: new Set(),
      codeLabel: false,
      ...(notation !== undefined ? { notation } : {}),
    };
    if (v.keepHierarchy) {
      for (const b of iris(index, s, SKOS_BROADER)) c.broader.add(b);
      for (const t of iris(index, s, SKOS_TOP_CONCEPT_OF)) if (wanted.has(t) || structure.has(t)) c.topConceptOf.add(t);
    }
    concepts.set(s, c);
  }
  stats.fromPrimary = concepts.size;

  const supplements: (Source & { use: string })[] = [];
  const extraVersions: (string | undefined)[] = [];
  for (const extra of v.extras ?? []) {
    const xi = await readIndex(path.join(ref, extra.file));
    extraVersions.push(versionOf(xi, primaryScheme(v)));
    supplements.push({ ...sourceOf(extra.file), use: extra.use });
    if (extra.use === 'labels') {
      let n = 0;
      for (const c of concepts.values()) n += mergeLabels(c.labels, pickLabels(literals(xi, c.iri, SKOS_PREF_LABEL)));
      stats.labelsAdded = n;
    } else {
      let n = 0;
      for (const s of [...xi.keys()].sort(compare)) {
        if (concepts.has(s) || wanted.has(s)) continue;
        const inSchemes = iris(xi, s, SKOS_IN_SCHEME).filter((x) => wanted.has(x));
        if (inSchemes.length === 0) continue;
        const code = localName(s);
        concepts.set(s, {
          iri: s,
          schemes: new Set(inSchemes),
          labels: new Map(),
          notation: code,
          deprecated: isDeprecated(xi, s),
          broader: new Set(),
          topConceptOf: new Set(),
          codeLabel: false,
        });
        n++;
      }
      stats.codesAdded = n;
    }
  }

  // Hierarchy links only to concepts that are kept.
  for (const c of concepts.values()) {
    for (const b of [...c.broader]) if (!concepts.has(b)) c.broader.delete(b);
  }
  for (const sc of schemes) for (const t of [...sc.hasTopConcept]) if (!concepts.has(t)) sc.hasTopConcept.delete(t);

  let codeLabels = 0;
  for (const c of concepts.values()) {
    if (c.labels.size === 0) {
      c.labels.set('', c.notation ?? localName(c.iri));
      c.codeLabel = true;
      codeLabels++;
    }
  }
  stats.codeLabels = codeLabels;

  let version = versionOf(index, primaryScheme(v));
  for (const [i, extra] of (v.extras ?? []).entries()) {
    const xv = extra.use === 'codes' ? extraVersions[i] : undefined;
    if (xv && version) version = `${version}; codes ${xv}`;
  }
  return {
    vocab: v,
    schemes,
    concepts: [...concepts.values()].sort((a, b) => compare(a.iri, b.iri)),
    ...(version ? { version } : {}),
    source: sourceOf(v.file),
    supplements,
    stats,
  };
}

function buildCurated(v: CuratedVocab): Built {
  const concepts: Concept[] = [...new Set(v.concepts)].sort(compare).map((code) => ({
    iri: v.conceptNamespace + code,
    schemes: new Set([v.schemes[0]]),
    labels: new Map([['', code]]),
    notation: code,
    deprecated: false,
    broader: new Set(),
    topConceptOf: new Set(),
    codeLabel: false,
  }));
  return {
    vocab: v,
    schemes: [{ iri: v.schemes[0], labels: new Map(), titles: titleLabels(v.title), hasTopConcept: new Set() }],
    concepts,
    source: { file: null, repository: null, commit: null, licence: null, note: 'curated in vocab/extract.ts' },
    supplements: [],
    stats: { curated: concepts.length },
  };
}

function titleLabels(t: Title): Labels {
  return new Map([
    ['en', t.en],
    ['nb', t.nb],
  ]);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort(compare)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(ttl|rdf|xml|json|jsonld|nt|nq|trig)$/i.test(name)) out.push(p);
  }
  return out;
}

function buildFromExamples(ref: string, v: ExampleVocab): Built {
  const esc = v.conceptNamespace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${esc}([A-Za-z0-9._~%-]+)`, 'g');
  const found = new Map<string, Set<string>>(); // IRI -> files
  for (const dir of EXAMPLE_DIRS) {
    for (const file of walk(path.join(ref, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(re)) {
        const iri = m[0].replace(/[.]+$/, '');
        const rel = path.relative(ref, file).split(path.sep).join('/');
        const set = found.get(iri);
        if (set) set.add(rel);
        else found.set(iri, new Set([rel]));
      }
    }
  }
  const files = [...new Set([...found.values()].flatMap((s) => [...s]))].sort(compare);
  const concepts: Concept[] = [...found.keys()].sort(compare).map((iri) => ({
    iri,
    schemes: new Set([v.schemes[0]]),
    labels: new Map([['', localName(iri)]]),
    notation: localName(iri),
    deprecated: false,
    broader: new Set(),
    topConceptOf: new Set(),
    codeLabel: true,
  }));
  const [first, ...rest] = files;
  return {
    vocab: v,
    schemes: [{ iri: v.schemes[0], labels: new Map(), titles: titleLabels(v.title), hasTopConcept: new Set() }],
    concepts,
    source: first
      ? { ...sourceOf(first), note: 'concept IRIs found in this example file; no published list available' }
      : { file: null, repository: null, commit: null, licence: null, note: 'no example uses this vocabulary' },
    supplements: rest.map((f) => ({ ...sourceOf(f), use: 'iris' })),
    stats: { fromExamples: concepts.length, codeLabels: concepts.length },
  };
}

// ---------------------------------------------------------------------------------------------
// Writing Turtle
// ---------------------------------------------------------------------------------------------

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function iriRef(iri: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020<>"{}|^`\\]/.test(iri)) throw new Error(`IRI needs escaping, not supported: ${iri}`);
  return `<${iri}>`;
}

const SAFE_LOCAL = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

function term(iri: string, ns: Record<string, string>): string {
  let best: [string, string] | undefined;
  for (const [prefix, base] of Object.entries(ns)) {
    if (iri.startsWith(base) && SAFE_LOCAL.test(iri.slice(base.length)) && (!best || base.length > best[1].length)) {
      best = [prefix, base];
    }
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iriRef(iri);
}

function literal(value: string, lang: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `"${escaped}"${lang ? `@${lang}` : ''}`;
}

function labelList(labels: Labels): string[] {
  const order = ['', ...LANGS];
  return [...labels.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([l, v]) => literal(v, l));
}

function statements(subject: string, props: [string, string[]][]): string {
  const parts = props.filter(([, objs]) => objs.length > 0).map(([p, objs]) => `${p} ${objs.join(', ')}`);
  return `${subject} ${parts.join(' ;\n    ')} .\n`;
}

const GENERATED_MARK = '# GENERATED by vocab/extract.ts';

function toTurtle(b: Built, deprecatedCount: number): string {
  const v = b.vocab;
  const ns: Record<string, string> = { ...PREFIXES };
  if ('conceptNamespace' in v && v.conceptNamespace) ns.c = v.conceptNamespace;
  if (v.kind === 'file' && v.namespaces) Object.assign(ns, v.namespaces);

  const h: string[] = [];
  h.push(`${GENERATED_MARK}; do not edit. Refresh: npx tsx vocab/extract.ts`);
  h.push(`# Vocabulary: ${v.id} (${v.title.en} / ${v.title.nb})`);
  const describe = (s: Source, label: string): void => {
    if (s.file === null) {
      h.push(`# ${label}: none (${s.note ?? 'no source file'})`);
      return;
    }
    h.push(`# ${label}: shared/reference/${s.file}`);
    h.push(`#   copied from ${s.repository} @ ${s.commit}, path ${s.path ?? '?'}${s.note ? ` (${s.note})` : ''}`);
    h.push(`#   licence: ${s.licence}`);
  };
  describe(b.source, 'Source');
  for (const s of b.supplements) describe(s, `Also (${s.use})`);
  if (b.version) h.push(`# Source version: ${b.version}`);
  h.push(
    '# Trimmed to: the concept scheme (type, labels/titles in nb, nn, en) and each concept (type, skos:inScheme,',
    '# skos:prefLabel in nb, nn, en, skos:notation, owl:deprecated true if the source deprecates it' +
      (v.kind === 'file' && v.keepHierarchy ? ', skos:broader, skos:topConceptOf).' : ').'),
  );
  if (v.note) h.push(...wrap(`Note: ${v.note}`, 100).map((l) => `# ${l}`));
  h.push(`# Concepts: ${b.concepts.length} (${deprecatedCount} deprecated)`);

  const out: string[] = [h.join('\n'), ''];
  for (const [p, base] of Object.entries(ns).sort((a, b2) => compare(a[0], b2[0]))) out.push(`@prefix ${p}: <${base}> .`);
  out.push('');

  for (const sc of b.schemes) {
    out.push(
      statements(iriRef(sc.iri), [
        ['a', ['skos:ConceptScheme']],
        ['skos:prefLabel', labelList(sc.labels)],
        ['dct:title', labelList(sc.titles)],
        ['skos:hasTopConcept', [...sc.hasTopConcept].sort(compare).map((t) => term(t, ns))],
      ]),
    );
  }
  for (const c of b.concepts) {
    out.push(
      statements(term(c.iri, ns), [
        ['a', ['skos:Concept']],
        ['skos:inScheme', [...c.schemes].sort(compare).map(iriRef)],
        ['skos:prefLabel', labelList(c.labels)],
        ['skos:notation', c.notation !== undefined ? [literal(c.notation, '')] : []],
        ['skos:broader', [...c.broader].sort(compare).map((t) => term(t, ns))],
        ['skos:topConceptOf', [...c.topConceptOf].sort(compare).map(iriRef)],
        ['owl:deprecated', c.deprecated ? ['true'] : []],
      ]),
    );
  }
  return out.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Manifest
// ---------------------------------------------------------------------------------------------

export interface ManifestSource {
  file: string | null;
  repository: string | null;
  commit: string | null;
  licence: string | null;
  path?: string;
  note?: string;
}

export interface ManifestEntry {
  id: string;
  scheme: string;
  schemes: { iri: string; concepts: number }[];
  title: Title;
  file: string;
  concepts: number;
  deprecated: number;
  complete: boolean;
  version?: string;
  source: ManifestSource;
  supplements?: (ManifestSource & { use: string })[];
  note?: string;
}

function manifestEntry(b: Built, deprecated: number): ManifestEntry {
  const v = b.vocab;
  const complete = v.kind === 'file' ? v.complete : false;
  return {
    id: v.id,
    scheme: v.schemes[0],
    schemes: v.schemes.map((iri) => ({ iri, concepts: b.concepts.filter((c) => c.schemes.has(iri)).length })),
    title: v.title,
    file: `${v.id}.ttl`,
    concepts: b.concepts.length,
    deprecated,
    complete,
    ...(b.version ? { version: b.version } : {}),
    source: b.source,
    ...(b.supplements.length ? { supplements: b.supplements } : {}),
    ...(v.note ? { note: v.note } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(here, '..');
  const args = process.argv.slice(2);
  const outArg = args.find((a) => a.startsWith('--out='));
  const arg = args.find((a) => !a.startsWith('--'));
  const ref = arg ? path.resolve(process.cwd(), arg) : path.resolve(root, '../shared/reference');
  if (!existsSync(path.join(ref, 'vocab'))) throw new Error(`no vocab/ folder in reference dir ${ref}`);
  // --out=DIR writes somewhere else (used by the test that checks vocab/ is up to date).
  const outDir = outArg ? path.resolve(process.cwd(), outArg.slice('--out='.length)) : here;
  mkdirSync(outDir, { recursive: true });

  const manifest: ManifestEntry[] = [];
  const written = new Set<string>();
  for (const v of VOCABULARIES) {
    const built = v.kind === 'file' ? await buildFromFile(ref, v) : v.kind === 'curated' ? buildCurated(v) : buildFromExamples(ref, v);
    if (built.concepts.length === 0) throw new Error(`${v.id}: no concepts`);
    const deprecated = built.concepts.filter((c) => c.deprecated).length;
    const file = `${v.id}.ttl`;
    writeFileSync(path.join(outDir, file), toTurtle(built, deprecated));
    written.add(file);
    manifest.push(manifestEntry(built, deprecated));
    const stats = Object.entries(built.stats)
      .map(([k, n]) => `${k}=${n}`)
      .join(' ');
    console.log(`${v.id.padEnd(22)} ${String(built.concepts.length).padStart(5)} concepts, ${deprecated} deprecated  ${stats}`);
  }

  // Remove generated files of vocabularies that are no longer configured.
  for (const name of readdirSync(outDir)) {
    if (!name.endsWith('.ttl') || written.has(name)) continue;
    const p = path.join(outDir, name);
    if (readFileSync(p, 'utf8').startsWith(GENERATED_MARK)) {
      unlinkSync(p);
      console.log(`removed stale ${name}`);
    }
  }

  writeFileSync(path.join(outDir, 'vocabularies.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${manifest.length} vocabularies to ${path.relative(process.cwd(), outDir) || '.'}/`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
