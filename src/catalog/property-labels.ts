import { PREFIXES, type Prefix } from '../core/namespaces.js';

/** The languages pages are written in (docs/pages.md, Languages). */
export const PAGE_LANGUAGES = ['nb', 'nn', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** A full IRI from a prefixed name of a namespace Katalog knows: `expand('dcat:theme')`. */
export function expand(name: `${Prefix}:${string}`): string {
  const colon = name.indexOf(':');
  return PREFIXES[name.slice(0, colon) as Prefix] + name.slice(colon + 1);
}

/** The prefixed name of an IRI in a namespace Katalog knows, or the IRI itself. */
export function compactName(iri: string): string {
  let name = compacted.get(iri);
  if (name === undefined) {
    name = iri;
    for (const [prefix, base] of Object.entries(PREFIXES)) {
      if (iri.startsWith(base) && /^[A-Za-z_][\w.-]*$/.test(iri.slice(base.length))) name = `${prefix}:${iri.slice(base.length)}`;
    }
    // Pages ask for the same few properties again and again: remembered, a bounded number.
    if (compacted.size >= 4096) compacted.clear();
    compacted.set(iri, name);
  }
  return name;
}

const compacted = new Map<string, string>();

type Labels = Record<PageLanguage, string>;
const l = (nb: string, nn: string, en: string): Labels => ({ nb, nn, en });

/**
 * What a person reads for the properties of DCAT-AP-NO and CPSV-AP-NO, in the three page
 * languages. A property not listed here is shown by its prefixed name (`adms:sample`).
 */
const PROPERTY_LABELS: Record<string, Labels> = {
  'dct:title': l('Tittel', 'Tittel', 'Title'),
  'dct:description': l('Beskrivelse', 'Skildring', 'Description'),
  'dct:publisher': l('Utgiver', 'Utgjevar', 'Publisher'),
  'dct:identifier': l('Identifikator', 'Identifikator', 'Identifier'),
  'dct:type': l('Type', 'Type', 'Type'),
  'dct:language': l('Språk', 'Språk', 'Language'),
  'dct:spatial': l('Geografisk dekning', 'Geografisk dekning', 'Spatial coverage'),
  'dct:temporal': l('Tidsrom', 'Tidsrom', 'Temporal coverage'),
  'dct:license': l('Lisens', 'Lisens', 'Licence'),
  'dct:accessRights': l('Tilgangsnivå', 'Tilgangsnivå', 'Access rights'),
  'dct:format': l('Format', 'Format', 'Format'),
  'dct:issued': l('Utgitt', 'Utgjeve', 'Issued'),
  'dct:modified': l('Endret', 'Endra', 'Modified'),
  'dct:accrualPeriodicity': l('Oppdateringsfrekvens', 'Oppdateringsfrekvens', 'Update frequency'),
  'dct:relation': l('Relatert til', 'Relatert til', 'Related to'),
  'dct:conformsTo': l('I samsvar med', 'I samsvar med', 'Conforms to'),
  'dct:rights': l('Rettigheter', 'Rettar', 'Rights'),
  'dct:provenance': l('Opphav', 'Opphav', 'Provenance'),
  'dct:subject': l('Begrep', 'Omgrep', 'Subject'),
  'dct:requires': l('Krever', 'Krev', 'Requires'),
  'dct:isPartOf': l('Del av', 'Del av', 'Part of'),
  'dcat:theme': l('Tema', 'Tema', 'Themes'),
  'dcat:keyword': l('Emneord', 'Emneord', 'Keywords'),
  'dcat:contactPoint': l('Kontaktpunkt', 'Kontaktpunkt', 'Contact point'),
  'dcat:distribution': l('Distribusjoner', 'Distribusjonar', 'Distributions'),
  'dcat:landingPage': l('Landingsside', 'Landingsside', 'Landing page'),
  'dcat:accessURL': l('Tilgangs-URL', 'Tilgangs-URL', 'Access URL'),
  'dcat:downloadURL': l('Nedlastings-URL', 'Nedlastings-URL', 'Download URL'),
  'dcat:mediaType': l('Medietype', 'Medietype', 'Media type'),
  'dcat:compressFormat': l('Komprimeringsformat', 'Komprimeringsformat', 'Compression format'),
  'dcat:byteSize': l('Størrelse (byte)', 'Storleik (byte)', 'Size (bytes)'),
  'dcat:accessService': l('Tilgangstjeneste', 'Tilgangsteneste', 'Access service'),
  'dcat:endpointURL': l('Endepunkt', 'Endepunkt', 'Endpoint URL'),
  'dcat:endpointDescription': l('Endepunktsbeskrivelse', 'Endepunktsskildring', 'Endpoint description'),
  'dcat:servesDataset': l('Tilgjengeliggjør datasett', 'Tilgjengeleggjer datasett', 'Serves datasets'),
  'dcat:inSeries': l('I serie', 'I serie', 'In series'),
  'dcat:dataset': l('Datasett', 'Datasett', 'Datasets'),
  'dcat:service': l('Datatjenester', 'Datatenester', 'Data services'),
  'dcat:catalog': l('Kataloger', 'Katalogar', 'Catalogues'),
  'dcat:themeTaxonomy': l('Temaer brukt', 'Tema brukte', 'Theme taxonomies'),
  'dcat:startDate': l('Fra', 'Frå', 'From'),
  'dcat:endDate': l('Til', 'Til', 'To'),
  'dcatno:containsService': l('Offentlige tjenester', 'Offentlege tenester', 'Public services'),
  'dcatno:containsEvent': l('Hendelser', 'Hendingar', 'Events'),
  'foaf:name': l('Navn', 'Namn', 'Name'),
  'foaf:homepage': l('Hjemmeside', 'Heimeside', 'Home page'),
  'foaf:page': l('Dokumentasjon', 'Dokumentasjon', 'Documentation'),
  'vcard:fn': l('Navn', 'Namn', 'Name'),
  'vcard:hasEmail': l('E-post', 'E-post', 'Email'),
  'vcard:hasTelephone': l('Telefon', 'Telefon', 'Telephone'),
  'vcard:hasURL': l('Nettside', 'Nettside', 'Web page'),
  'vcard:language': l('Språk', 'Språk', 'Language'),
  'vcard:organization-name': l('Organisasjon', 'Organisasjon', 'Organisation'),
  'cv:hasCompetentAuthority': l('Ansvarlig myndighet', 'Ansvarleg styresmakt', 'Competent authority'),
  'cv:hasChannel': l('Kanaler', 'Kanalar', 'Channels'),
  'cv:hasCost': l('Kostnader', 'Kostnader', 'Costs'),
  'cv:hasValue': l('Beløp', 'Beløp', 'Amount'),
  'cv:currency': l('Valuta', 'Valuta', 'Currency'),
  'cv:hasInput': l('Krav', 'Krav', 'Requirements'),
  'cv:hasRequirement': l('Krav', 'Krav', 'Requirements'),
  'cv:hasCriterion': l('Vilkår', 'Vilkår', 'Criteria'),
  'cv:isGroupedBy': l('Livshendelser', 'Livshendingar', 'Related life events'),
  'cv:contactPoint': l('Kontaktpunkt', 'Kontaktpunkt', 'Contact point'),
  'cv:contactPage': l('Kontaktside', 'Kontaktside', 'Contact page'),
  'cv:telephone': l('Telefon', 'Telefon', 'Telephone'),
  'cv:email': l('E-post', 'E-post', 'Email'),
  'cv:thematicArea': l('Tema', 'Tema', 'Thematic areas'),
  'cv:ownedBy': l('Eier', 'Eigar', 'Owned by'),
  'cv:isDefinedBy': l('Definert av', 'Definert av', 'Defined by'),
  'cv:hasLegalResource': l('Regelverk', 'Regelverk', 'Legal resources'),
  'cv:ifAccessedThrough': l('Via kanal', 'Via kanal', 'If accessed through'),
  'cv:sector': l('Sektor', 'Sektor', 'Sector'),
  'cpsvno:hasRequiredEvidence': l('Krav til dokumentasjon', 'Krav til dokumentasjon', 'Required evidence'),
  'cpsvno:hasPossibleOutput': l('Mulig resultat', 'Mogleg resultat', 'Possible outputs'),
  'cpsvno:mayTriggerNeedFor': l('Kan utløse behov for', 'Kan utløyse behov for', 'May trigger need for'),
  'cpsv:follows': l('Følger', 'Følgjer', 'Follows'),
  'cpsv:hasInput': l('Krav', 'Krav', 'Requirements'),
  'cpsv:produces': l('Resultat', 'Resultat', 'Outputs'),
  'adms:identifier': l('Annen identifikator', 'Anna identifikator', 'Other identifier'),
  'adms:sample': l('Eksempel', 'Døme', 'Sample'),
  'rdfs:seeAlso': l('Se også', 'Sjå også', 'See also'),
  'rdfs:label': l('Navn', 'Namn', 'Label'),
  'skos:prefLabel': l('Navn', 'Namn', 'Label'),
  'rdf:type': l('Klasse', 'Klasse', 'Class'),
  'spdx:checksum': l('Sjekksum', 'Sjekksum', 'Checksum'),
};

/** A property's label in `lang`, or its prefixed name when it has none. */
export function propertyLabel(iri: string, lang: PageLanguage): string {
  const name = compactName(iri);
  return PROPERTY_LABELS[name]?.[lang] ?? name;
}
