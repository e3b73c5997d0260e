/**
 * Every namespace Katalog knows, defined once. The prefix table drives the Turtle writer, the
 * RDF/XML writer and the JSON-LD context, so that all three use the same short names.
 */
export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatap: 'http://data.europa.eu/r5r/',
  dcatno: 'https://data.norge.no/vocabulary/dcatno#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  cpsv: 'http://purl.org/vocab/cpsv#',
  cpsvno: 'https://data.norge.no/vocabulary/cpsvno#',
  cv: 'http://data.europa.eu/m8g/',
  eli: 'http://data.europa.eu/eli/ontology#',
  locn: 'http://www.w3.org/ns/locn#',
  odrl: 'http://www.w3.org/ns/odrl/2/',
  prov: 'http://www.w3.org/ns/prov#',
  schema: 'http://schema.org/',
  spdx: 'http://spdx.org/rdf/terms#',
  time: 'http://www.w3.org/2006/time#',
  dqv: 'http://www.w3.org/ns/dqv#',
  dcatnomqa: 'https://data.norge.no/vocabulary/dcatno-mqa#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  sh: 'http://www.w3.org/ns/shacl#',
} as const;

export type Prefix = keyof typeof PREFIXES;

/**
 * Builds full IRIs from the local names a vocabulary is known by here: `DCAT('Dataset')`. The names
 * are listed once, so a misspelt term (`DCAT('Datset')`) does not compile; a term Katalog starts to
 * use is added to its list.
 */
function vocabulary<P extends Prefix, const L extends string>(prefix: P, _locals: readonly L[]) {
  const base = PREFIXES[prefix];
  return (local: L): string => base + local;
}

export const RDF = vocabulary('rdf', ['type', 'first', 'rest', 'nil', 'langString']);
export const RDFS = vocabulary('rdfs', ['Class', 'label', 'subClassOf']);
export const XSD = vocabulary('xsd', [
  'string',
  'boolean',
  'date',
  'dateTime',
  'gYear',
  'gYearMonth',
  'duration',
  'decimal',
  'float',
  'double',
  'integer',
  'nonNegativeInteger',
  'positiveInteger',
  'negativeInteger',
  'nonPositiveInteger',
  'long',
  'int',
  'short',
  'byte',
  'unsignedLong',
  'unsignedInt',
  'unsignedShort',
  'unsignedByte',
]);
export const OWL = vocabulary('owl', ['deprecated']);
export const SKOS = vocabulary('skos', ['inScheme', 'prefLabel']);
export const DCAT = vocabulary('dcat', [
  'Catalog',
  'Dataset',
  'DatasetSeries',
  'DataService',
  'accessURL',
  'byteSize',
  'catalog',
  'contactPoint',
  'dataset',
  'distribution',
  'downloadURL',
  'keyword',
  'mediaType',
  'servesDataset',
  'service',
  'theme',
]);
export const DCT = vocabulary('dct', [
  'title',
  'description',
  'publisher',
  'relation',
  'subject',
  'format',
  'license',
  'accessRights',
  'spatial',
  'type',
  'modified',
  'identifier',
  'issued',
  'rights',
  'temporal',
]);
export const DQV = vocabulary('dqv', ['QualityMeasurement', 'hasQualityMeasurement', 'isMeasurementOf', 'computedOn', 'value']);
export const DCATNO = vocabulary('dcatno', ['containsService', 'containsEvent']);
export const FOAF = vocabulary('foaf', ['Agent', 'name']);
export const CPSV = vocabulary('cpsv', ['PublicService']);
export const CPSVNO = vocabulary('cpsvno', ['Service', 'hasRequiredEvidence', 'mayTriggerNeedFor']);
export const CV = vocabulary('cv', ['Event', 'LifeEvent', 'BusinessEvent', 'hasCompetentAuthority', 'isGroupedBy', 'ownedBy', 'thematicArea']);
export const HYDRA = vocabulary('hydra', [
  'Collection',
  'PagedCollection',
  'PartialCollectionView',
  'member',
  'totalItems',
  'view',
  'first',
  'next',
  'last',
  'firstPage',
  'nextPage',
  'lastPage',
  'itemsPerPage',
  'search',
  'IriTemplate',
  'IriTemplateMapping',
  'template',
  'variableRepresentation',
  'BasicRepresentation',
  'mapping',
  'variable',
  'property',
  'required',
  'freetextQuery',
]);
/** SHACL's terms: the engine builds them from its registry's parameter names (components/index.ts), so any local name is taken. */
export const SHACL = (local: string): string => PREFIXES.sh + local;

export const RDF_TYPE = RDF('type');

/**
 * Splits an IRI into a known prefix and a local part, or returns undefined. The local part is
 * restricted to characters every writer accepts unescaped (Turtle PN_LOCAL, XML NCName after a letter).
 */
const byLength = Object.entries(PREFIXES).sort((a, b) => b[1].length - a[1].length);
const SAFE_LOCAL = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const splitCache = new Map<string, { prefix: string; namespace: string; local: string } | undefined>();
/** IRIs longer than this are split every time: the cache is for the vocabulary's few short terms. */
const CACHED_IRI_LENGTH = 200;
/** Characters of keys the cache holds before it starts again (about 8 MB at most). */
const CACHE_CHARACTERS = 4_000_000;
let cachedCharacters = 0;

export function splitKnown(iri: string): { prefix: string; namespace: string; local: string } | undefined {
  const cached = splitCache.get(iri);
  if (cached !== undefined || splitCache.has(iri)) return cached;
  const result = split(iri);
  if (iri.length > CACHED_IRI_LENGTH) return result;
  if (cachedCharacters + iri.length > CACHE_CHARACTERS) {
    splitCache.clear();
    cachedCharacters = 0;
  }
  // A copy, never the parser's string: that may be a slice keeping a whole request body alive.
  const key = ownCopy(iri);
  splitCache.set(key, result && { ...result, local: ownCopy(result.local) });
  cachedCharacters += key.length;
  return result;
}

/** A string that shares no memory with the one given (V8 keeps substrings as views of their parent). */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function split(iri: string): { prefix: string; namespace: string; local: string } | undefined {
  for (const [prefix, namespace] of byLength) {
    if (iri.startsWith(namespace)) {
      const local = iri.slice(namespace.length);
      if (local === '' || SAFE_LOCAL.test(local)) return { prefix, namespace, local };
      return undefined;
    }
  }
  return undefined;
}
