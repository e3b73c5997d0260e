/**
 * Documents for the hostile cases, built in memory: a conforming dataset, service or catalogue in
 * Turtle that a case adds to, and the repetitive shapes (many records, many values, deep nesting)
 * that make a body hostile.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ORG_A, orgIri } from './harness.js';

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  cv: 'http://data.europa.eu/m8g/',
  cpsv: 'http://purl.org/vocab/cpsv#',
  cpsvno: 'https://data.norge.no/vocabulary/cpsvno#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  sh: 'http://www.w3.org/ns/shacl#',
  lang: 'http://publications.europa.eu/resource/authority/language/',
} as const;

export const TURTLE_PREFIXES = Object.entries(NS)
  .map(([prefix, iri]) => `@prefix ${prefix}: <${iri}> .`)
  .join('\n');

/** A fresh suffix, so that IRIs of one run never meet those of another case. */
export const unique = () => randomBytes(6).toString('hex');

/** The id a record with a foreign IRI is served at: the first 16 hex digits of SHA-256(IRI). */
export const hashedId = (iri: string) => createHash('sha256').update(iri).digest('hex').slice(0, 16);

/** A Turtle string literal with everything that needs it escaped. */
export const ttlString = (s: string) => JSON.stringify(s);

export interface DatasetOptions {
  /** `<iri>` or `[]`; default a blank node. */
  subject?: string;
  org?: string;
  /** The publisher IRI; default orgIri(org). */
  publisher?: string;
  /** More predicate-object pairs on the dataset, each ending without `;` or `.`. */
  props?: string[];
  /** Triples after the record. */
  after?: string;
  /** Leave out the publisher's foaf:Agent node. */
  noAgent?: boolean;
}

/** A dataset that conforms to dcat-ap-no (with warnings), in Turtle with every prefix of NS. */
export function dataset(options: DatasetOptions = {}): string {
  const org = options.org ?? ORG_A;
  const publisher = options.publisher ?? orgIri(org);
  const props = (options.props ?? []).map((p) => `  ${p} ;\n`).join('');
  const agent = options.noAgent ? '' : `<${publisher}> a foaf:Agent ; dct:identifier "${org}" ; foaf:name "Organisasjon ${org}"@nb .\n`;
  return `${TURTLE_PREFIXES}
${options.subject ?? '[]'} a dcat:Dataset ;
  dct:identifier "aksjeeiere" ;
  dct:title "Aksjeeiere"@nb, "Shareholders"@en ;
  dct:description "Eiere av aksjer i norske aksjeselskap."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
${props}  dct:publisher <${publisher}> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://data.brreg.no/aksjeeiere.csv> ;
                      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
${agent}${options.after ?? ''}
`;
}

/** `n` values joined for one predicate: `dcat:keyword "a", "b", ...`. */
export const values = (predicate: string, n: number, value: (i: number) => string) =>
  `${predicate} ${Array.from({ length: n }, (_, i) => value(i)).join(', ')}`;

/**
 * `count` conforming datasets in one Turtle document, each with `keywords` keywords: about
 * count * (10 + keywords) triples, all of them allowed (no property has 10,000 values).
 */
export function manyDatasets(count: number, keywords: number, tag = unique()): string {
  const parts = [TURTLE_PREFIXES, `<${orgIri(ORG_A)}> a foaf:Agent ; dct:identifier "${ORG_A}" ; foaf:name "Brønnøysundregistrene"@nb .`];
  for (let d = 0; d < count; d++) {
    const iri = `https://data.x.test/${tag}/datasets/${d}`;
    parts.push(`<${iri}> a dcat:Dataset ; dct:identifier "${iri}" ; dct:title "Datasett ${d}"@nb ; dct:description "Datasett nummer ${d}."@nb ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ; dct:publisher <${orgIri(ORG_A)}> ;
  ${values('dcat:keyword', keywords, (k) => `"ord ${d} ${k}"@nb`)} ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <${iri}/csv> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .`);
  }
  return parts.join('\n');
}

/** Bare typed subjects, one per line: `<http://x.test/dN> a dcat:Dataset .` */
export function bareDatasets(n: number): string {
  const lines = [TURTLE_PREFIXES];
  for (let i = 0; i < n; i++) lines.push(`<http://x.test/d${i}> a dcat:Dataset .`);
  return lines.join('\n') + '\n';
}

export interface ServiceOptions {
  subject?: string;
  /** cv:hasCompetentAuthority values (organisation numbers). */
  authorities?: string[];
  /** dct:publisher (an organisation number). */
  publisher?: string;
  /** cv:ownedBy (an organisation number). */
  ownedBy?: string;
}

/** A public service that conforms to cpsv-ap-no. */
export function service(options: ServiceOptions = {}): string {
  const subject = options.subject ?? `<https://data.x.test/services/${unique()}>`;
  const authorities = options.authorities ?? [ORG_A];
  const orgs = new Set([...authorities, ...(options.publisher ? [options.publisher] : []), ...(options.ownedBy ? [options.ownedBy] : [])]);
  const output = `https://data.x.test/possible-outputs/${unique()}`;
  return `${TURTLE_PREFIXES}
${subject} a cpsv:PublicService ;
  dct:identifier "tjeneste" ;
  dct:title "Registrere foretak"@nb ;
  dct:description "Registrering av foretak."@nb ;
  ${authorities.map((o) => `cv:hasCompetentAuthority <${orgIri(o)}> ;`).join('\n  ')}
  ${options.publisher ? `dct:publisher <${orgIri(options.publisher)}> ;` : ''}
  ${options.ownedBy ? `cv:ownedBy <${orgIri(options.ownedBy)}> ;` : ''}
  cv:contactPoint [ a cv:ContactPoint ; cv:telephone "+47 75 00 75 00" ] ;
  cpsvno:hasPossibleOutput <${output}> .
<${output}> a cpsvno:PossibleOutput ; dct:title "Foretaket er registrert"@nb ; dct:description "Foretaket er registrert."@nb .
${[...orgs].map((o) => `<${orgIri(o)}> a foaf:Agent ; dct:identifier "${o}" ; foaf:name "Organisasjon ${o}"@nb .`).join('\n')}
`;
}

export interface CatalogOptions {
  subject?: string;
  org?: string;
  /** IRIs listed with dcat:dataset. */
  datasets?: string[];
}

/** A catalogue that conforms to dcat-ap-no. */
export function catalog(options: CatalogOptions = {}): string {
  const org = options.org ?? ORG_A;
  const subject = options.subject ?? `<https://data.x.test/catalogs/${unique()}>`;
  const members = (options.datasets ?? []).map((d) => `  dcat:dataset <${d}> ;\n`).join('');
  return `${TURTLE_PREFIXES}
${subject} a dcat:Catalog ;
  dct:identifier "katalog-${org}" ;
  dct:title "Katalog for ${org}"@nb ;
  dct:description "Datasett fra organisasjon ${org}."@nb ;
${members}  dct:publisher <${orgIri(org)}> .
<${orgIri(org)}> a foaf:Agent ; dct:identifier "${org}" ; foaf:name "Organisasjon ${org}"@nb .
`;
}

/** An RDF/XML document around `inner`, with the rdf, dct and dcat namespaces declared. */
export const rdfxml = (inner: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="${NS.rdf}" xmlns:dct="${NS.dct}" xmlns:dcat="${NS.dcat}">\n${inner}\n</rdf:RDF>\n`;

/** A JSON-LD dataset node with full IRIs (no context needed), plus `extra` properties. */
export function jsonldDataset(extra: Record<string, unknown> = {}, id = `https://data.x.test/jsonld/${unique()}`): Record<string, unknown> {
  return {
    '@id': id,
    '@type': NS.dcat + 'Dataset',
    [NS.dct + 'identifier']: id,
    [NS.dct + 'title']: { '@value': 'Et datasett', '@language': 'nb' },
    [NS.dct + 'description']: { '@value': 'Beskrivelse.', '@language': 'nb' },
    [NS.dcat + 'theme']: { '@id': 'http://publications.europa.eu/resource/authority/data-theme/ECON' },
    [NS.dct + 'publisher']: { '@id': orgIri(ORG_A) },
    ...extra,
  };
}

export const TURTLE = 'text/turtle';
export const JSONLD = 'application/ld+json';
export const RDFXML = 'application/rdf+xml';
