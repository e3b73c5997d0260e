import { PREFIXES } from './namespaces.js';

/**
 * The one JSON-LD context every JSON-LD response uses (served at /context.jsonld). Terms cover the
 * DCAT-AP(-NO) and CPSV-AP(-NO) properties a developer meets most; anything else is written as a
 * compact IRI with one of the prefixes, so the context never needs to know every property.
 *
 * Rules the writer relies on: `@id`-typed terms take IRIs or blank nodes only (a literal value of
 * such a property is written under its compact IRI instead), and no term coerces datatypes or
 * languages, so every literal carries its own `@language` or `@type`.
 */
type TermDefinition = string | { '@id': string; '@type'?: '@id' };

/** [term, prefixed IRI, takes IRIs?] */
const TERMS: Array<[string, string, boolean]> = [
  // dct
  ['title', 'dct:title', false],
  ['description', 'dct:description', false],
  ['identifier', 'dct:identifier', false],
  ['issued', 'dct:issued', false],
  ['modified', 'dct:modified', false],
  ['publisher', 'dct:publisher', true],
  ['creator', 'dct:creator', true],
  ['language', 'dct:language', true],
  ['license', 'dct:license', true],
  ['rights', 'dct:rights', true],
  ['accessRights', 'dct:accessRights', true],
  ['accrualPeriodicity', 'dct:accrualPeriodicity', true],
  ['spatial', 'dct:spatial', true],
  ['temporal', 'dct:temporal', true],
  ['format', 'dct:format', true],
  ['conformsTo', 'dct:conformsTo', true],
  ['relation', 'dct:relation', true],
  ['requires', 'dct:requires', true],
  ['hasPart', 'dct:hasPart', true],
  ['isPartOf', 'dct:isPartOf', true],
  ['subject', 'dct:subject', true],
  ['provenance', 'dct:provenance', true],
  ['source', 'dct:source', true],
  // dcat
  ['dataset', 'dcat:dataset', true],
  ['service', 'dcat:service', true],
  ['catalog', 'dcat:catalog', true],
  ['record', 'dcat:record', true],
  ['distribution', 'dcat:distribution', true],
  ['theme', 'dcat:theme', true],
  ['themeTaxonomy', 'dcat:themeTaxonomy', true],
  ['keyword', 'dcat:keyword', false],
  ['contactPoint', 'dcat:contactPoint', true],
  ['landingPage', 'dcat:landingPage', true],
  ['accessURL', 'dcat:accessURL', true],
  ['downloadURL', 'dcat:downloadURL', true],
  ['accessService', 'dcat:accessService', true],
  ['mediaType', 'dcat:mediaType', true],
  ['compressFormat', 'dcat:compressFormat', true],
  ['packageFormat', 'dcat:packageFormat', true],
  ['byteSize', 'dcat:byteSize', false],
  ['endpointURL', 'dcat:endpointURL', true],
  ['endpointDescription', 'dcat:endpointDescription', true],
  ['servesDataset', 'dcat:servesDataset', true],
  ['inSeries', 'dcat:inSeries', true],
  ['qualifiedRelation', 'dcat:qualifiedRelation', true],
  ['spatialResolutionInMeters', 'dcat:spatialResolutionInMeters', false],
  ['temporalResolution', 'dcat:temporalResolution', false],
  ['startDate', 'dcat:startDate', false],
  ['endDate', 'dcat:endDate', false],
  // dcatno / cpsvno
  ['containsService', 'dcatno:containsService', true],
  ['containsEvent', 'dcatno:containsEvent', true],
  ['hasRequiredEvidence', 'cpsvno:hasRequiredEvidence', true],
  // cpsv / cv
  ['produces', 'cpsv:produces', true],
  ['follows', 'cpsv:follows', true],
  ['hasInput', 'cpsv:hasInput', true],
  ['implements', 'cpsv:implements', true],
  ['hasCompetentAuthority', 'cv:hasCompetentAuthority', true],
  ['ownedBy', 'cv:ownedBy', true],
  ['isGroupedBy', 'cv:isGroupedBy', true],
  ['thematicArea', 'cv:thematicArea', true],
  ['sector', 'cv:sector', true],
  ['hasChannel', 'cv:hasChannel', true],
  ['hasCost', 'cv:hasCost', true],
  ['hasCriterion', 'cv:hasCriterion', true],
  ['hasLegalResource', 'cv:hasLegalResource', true],
  ['hasParticipation', 'cv:hasParticipation', true],
  ['holdsRequirement', 'cv:holdsRequirement', true],
  ['hasValue', 'cv:hasValue', false],
  ['currency', 'cv:currency', true],
  ['email', 'cv:email', false],
  ['telephone', 'cv:telephone', false],
  ['contactPage', 'cv:contactPage', true],
  ['openingHours', 'cv:openingHours', false],
  ['hoursAvailable', 'cv:hoursAvailable', true],
  ['processingTime', 'cv:processingTime', false],
  ['playsRole', 'cv:playsRole', true],
  ['role', 'cv:role', true],
  // foaf, vcard, adms, skos
  ['name', 'foaf:name', false],
  ['homepage', 'foaf:homepage', true],
  ['page', 'foaf:page', true],
  ['primaryTopic', 'foaf:primaryTopic', true],
  ['fn', 'vcard:fn', false],
  ['hasEmail', 'vcard:hasEmail', true],
  ['hasTelephone', 'vcard:hasTelephone', true],
  ['hasURL', 'vcard:hasURL', true],
  ['organizationName', 'vcard:organization-name', false],
  ['status', 'adms:status', true],
  ['versionNotes', 'adms:versionNotes', false],
  ['sample', 'adms:sample', true],
  ['otherIdentifier', 'adms:identifier', true],
  ['prefLabel', 'skos:prefLabel', false],
  ['altLabel', 'skos:altLabel', false],
  ['inScheme', 'skos:inScheme', true],
  ['label', 'rdfs:label', false],
  ['seeAlso', 'rdfs:seeAlso', true],
  // hydra (collections and paging)
  ['member', 'hydra:member', true],
  ['totalItems', 'hydra:totalItems', false],
  ['view', 'hydra:view', true],
  ['first', 'hydra:first', true],
  ['next', 'hydra:next', true],
  ['previous', 'hydra:previous', true],
  ['last', 'hydra:last', true],
];

/** Classes get terms too, so that `"type": "Dataset"` reads naturally. */
const CLASSES: Array<[string, string]> = [
  ['Catalog', 'dcat:Catalog'],
  ['Dataset', 'dcat:Dataset'],
  ['DatasetSeries', 'dcat:DatasetSeries'],
  ['Distribution', 'dcat:Distribution'],
  ['DataService', 'dcat:DataService'],
  ['CatalogRecord', 'dcat:CatalogRecord'],
  ['PublicService', 'cpsv:PublicService'],
  ['Service', 'cpsvno:Service'],
  ['Event', 'cv:Event'],
  ['LifeEvent', 'cv:LifeEvent'],
  ['BusinessEvent', 'cv:BusinessEvent'],
  ['Agent', 'foaf:Agent'],
  ['Organization', 'vcard:Organization'],
  ['Kind', 'vcard:Kind'],
  ['ContactPoint', 'cv:ContactPoint'],
  ['Channel', 'cv:Channel'],
  ['Cost', 'cv:Cost'],
  ['Output', 'cv:Output'],
  ['Evidence', 'cv:Evidence'],
  ['Concept', 'skos:Concept'],
  ['Collection', 'hydra:Collection'],
  ['PartialCollectionView', 'hydra:PartialCollectionView'],
];

function expand(prefixed: string): string {
  const [prefix, local] = prefixed.split(':') as [keyof typeof PREFIXES, string];
  return PREFIXES[prefix] + local;
}

/** Term name by full property IRI, and whether the term coerces values to IRIs. */
export const PROPERTY_TERMS = new Map<string, { term: string; iri: boolean }>(TERMS.map(([term, prefixed, iri]) => [expand(prefixed), { term, iri }]));

/** Term name by full class IRI. */
export const CLASS_TERMS = new Map<string, string>(CLASSES.map(([term, prefixed]) => [expand(prefixed), term]));

/** The context object itself (the value of `@context`). */
export function buildContext(): Record<string, TermDefinition> {
  const context: Record<string, TermDefinition> = { id: '@id', type: '@type' };
  for (const [prefix, namespace] of Object.entries(PREFIXES)) context[prefix] = namespace;
  for (const [term, prefixed] of CLASSES) context[term] = prefixed;
  for (const [term, prefixed, iri] of TERMS) context[term] = iri ? { '@id': prefixed, '@type': '@id' } : prefixed;
  return context;
}

export const CONTEXT = buildContext();
export const CONTEXT_DOCUMENT = { '@context': CONTEXT };

/** The context as the JSON text every streamed JSON-LD document embeds. */
export const CONTEXT_JSON = JSON.stringify(CONTEXT);

/**
 * The part of the context that JSON-LD text (compacted against it) uses: `id`, `type`, the terms
 * that occur as keys or values, and the prefixes they and the text's compact IRIs need. A term
 * that merely occurs inside a literal is kept too: harmless, and the scan stays one pass.
 */
export function contextFor(texts: string[]): Record<string, TermDefinition> {
  const used: Record<string, TermDefinition> = { id: '@id', type: '@type' };
  const prefixes = new Set<string>();
  const want = (name: string) => {
    const definition = CONTEXT[name];
    if (definition === undefined || name in used) return;
    used[name] = definition;
    const iri = typeof definition === 'string' ? definition : definition['@id'];
    const colon = iri.indexOf(':');
    if (colon > 0 && iri.slice(0, colon) in PREFIXES) prefixes.add(iri.slice(0, colon));
  };
  for (const text of texts) {
    for (const [, name] of text.matchAll(/"([A-Za-z][\w-]*)"/g)) want(name!);
    for (const [, prefix] of text.matchAll(/"([a-z][a-z0-9]*):/g)) if (prefix! in PREFIXES) prefixes.add(prefix!);
  }
  for (const prefix of prefixes) used[prefix] = CONTEXT[prefix]!;
  return used;
}
