/**
 * A deterministic generator of realistic DCAT-AP-NO / CPSV-AP-NO catalogues for benchmarks. Each
 * organisation gets one catalogue holding its datasets (two or three distributions each), about one
 * data service per 20 datasets, one public service per 25 and one life or business event per 100,
 * with Norwegian and English titles and every controlled value taken from vocab/. Every record
 * passes its default profile without violations. The same arguments always give the same Turtle.
 *
 * Datasets are deliberately lean, to come near the issue's figure of about 1.1 KB of Turtle and 23-25
 * triples per dataset, all kinds of record included (100,000 datasets: 110 MB, 2.58 million triples):
 * distributions are blank nodes without titles, only the first gives a media type, one dataset in
 * ten has a third, and values that repeat (publisher, vocabulary concepts) are prefixed names.
 */
const SUBJECTS = [
  // [nb, en, EU data theme, Los concept, how often it is updated]
  ['Arbeidsledighet', 'Unemployment', 'ECON', 'tema:arbeidssoking', 'månedlig'],
  ['Sykefravær', 'Sickness absence', 'HEAL', 'ord:sykefravar', 'kvartalsvis'],
  ['Luftkvalitet', 'Air quality', 'ENVI', 'ord:luftkvalitet', 'daglig'],
  ['Trafikkulykker', 'Road accidents', 'TRAN', 'tema:trafikk-og-transport', 'årlig'],
  ['Skoleresultater', 'School results', 'EDUC', 'tema:grunnskole', 'årlig'],
  ['Boligpriser', 'Housing prices', 'ECON', 'tema:kjop-og-salg', 'kvartalsvis'],
  ['Kommuneøkonomi', 'Municipal finances', 'GOVE', 'tema:skatt-og-avgift', 'årlig'],
  ['Byggesaker', 'Building applications', 'REGI', 'ord:byggesak', 'månedlig'],
  ['Barnehageplasser', 'Kindergarten places', 'EDUC', 'ord:barnehageplass', 'årlig'],
  ['Avfallsmengder', 'Amounts of waste', 'ENVI', 'tema:avfallshandtering', 'årlig'],
  ['Energibruk i bygg', 'Energy use in buildings', 'ENER', 'ord:energibruk', 'årlig'],
  ['Jordbruksareal', 'Agricultural area', 'AGRI', 'tema:landbruk', 'årlig'],
  ['Anmeldte lovbrudd', 'Reported offences', 'JUST', 'tema:lovbrudd-og-straff', 'kvartalsvis'],
  ['Kollektivtrafikk', 'Public transport', 'TRAN', 'tema:mobilitetstilbud', 'månedlig'],
  ['Bibliotekbesøk', 'Library visits', 'EDUC', 'tema:bibliotek', 'årlig'],
  ['Folkehelse', 'Public health', 'HEAL', 'tema:folkehelse', 'årlig'],
] as const;
const PLACES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromsø', 'Bodø', 'Kristiansand', 'Hamar', 'Ålesund', 'Drammen', 'Molde', 'Alta'];
const DESCRIPTIONS = [
  (what: string, place: string, year: number, often: string) =>
    `Statistikk over ${what} i ${place} kommune fra ${year} og fram til i dag, fordelt på år og område. Tallene oppdateres ${often}.`,
  (what: string, place: string, year: number, often: string) =>
    `Oversikt over ${what} i ${place}, med tidsserier fra ${year}. Dataene oppdateres ${often} og kan brukes fritt, også i kommersielle tjenester.`,
  (what: string, place: string, year: number, often: string) =>
    `Tall for ${what} i ${place} fra og med ${year}, hentet fra fagsystemene og kvalitetssikret før publisering. Oppdateres ${often}.`,
];
const FORMATS = [
  ['CSV', 'text/csv', 'csv'],
  ['JSON', 'application/json', 'json'],
  ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['XML', 'application/xml', 'xml'],
  ['GEOJSON', 'application/geo+json', 'geojson'],
] as const;
const LICENCES = ['NLOD_2_0', 'CC_BY_4_0'];

/** Life events (`having-a-child`) and business events (`needing-a-licence...`) with the services they group. */
const EVENTS = [
  {
    class: 'cv:LifeEvent',
    type: '<https://data.norge.no/vocabulary/life-event-type#having-a-child>',
    title: ['Å få barn', 'Having a child'],
    description: 'Tjenester for familier som venter eller har fått barn.',
    services: [
      ['Søknad om barnehageplass', 'Application for a kindergarten place', 'ord:barnehageplass'],
      ['Kontantstøtte', 'Cash-for-care benefit', 'ord:kontantstotte'],
      ['Helsestasjon for barn', 'Child health centre', 'ord:helsestasjon'],
      ['Fødselsattest', 'Birth certificate', 'ord:fodselsattest'],
    ],
  },
  {
    class: 'cv:BusinessEvent',
    type: '<https://data.norge.no/vocabulary/business-event-type#needing-a-licence-or-permit-or-certificate>',
    title: ['Trenge løyve, tillatelse eller sertifikat', 'Needing a licence, permit or certificate'],
    description: 'Tjenester for virksomheter som trenger en tillatelse før de kan sette i gang.',
    services: [
      ['Søknad om byggetillatelse', 'Application for a building permit', 'ord:byggesak'],
      ['Søknad om skjenkebevilling', 'Application for a licence to serve alcohol', 'ord:bevilling-og-tillatelser'],
      ['Søknad om tillatelse til motorferdsel i utmark', 'Application for off-road motor traffic', 'ord:motorferdsel-i-utmark'],
      ['Søknad om gravetillatelse', 'Application for a digging permit', 'ord:gravemelding'],
    ],
  },
] as const;

/** A small deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedCatalogue {
  organisation: string;
  turtle: string;
}

const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix cv: <http://data.europa.eu/m8g/> .
@prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix cpsvno: <https://data.norge.no/vocabulary/cpsvno#> .
@prefix dcatno: <https://data.norge.no/vocabulary/dcatno#> .
@prefix org: <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/> .
@prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .
@prefix tema: <https://psi.norge.no/los/tema/> .
@prefix ord: <https://psi.norge.no/los/ord/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
@prefix access: <http://publications.europa.eu/resource/authority/access-right/> .
@prefix lang: <http://publications.europa.eu/resource/authority/language/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix channel: <https://data.norge.no/vocabulary/service-channel-type#> .
@prefix status: <http://publications.europa.eu/resource/authority/distribution-status/> .
@prefix adms: <http://www.w3.org/ns/adms#> .
`;
const IANA = 'https://www.iana.org/assignments/media-types/';

/** What the records of one organisation share. */
interface Organisation {
  orgnr: string;
  /** Where its web addresses live, e.g. `org3.example.no`. */
  domain: string;
  licence: string;
}

type Pick = <T>(list: readonly T[]) => T;
type Subject = (typeof SUBJECTS)[number];

/** The ids of a catalogue's records, per kind. */
interface Members {
  datasets: string[];
  apis: string[];
  services: string[];
  events: string[];
}

const contactPoint = (org: Organisation) => `[ a vcard:Organization ; vcard:hasEmail <mailto:post@${org.domain}> ]`;

/**
 * One dataset and its distributions. Distributions are blank nodes (each belongs to its dataset
 * alone) without titles; the first also gives its IANA media type, the others only the EU file
 * type, which DCAT-AP-NO 2.2 recommends (the media type is optional there).
 */
function datasetTurtle(org: Organisation, id: string, subject: Subject, pick: Pick, next: () => number): string {
  const [nb, en, theme, , often] = subject;
  const place = pick(PLACES);
  const year = 2000 + Math.floor(next() * 25);
  const first = Math.floor(next() * FORMATS.length);
  const count = next() < 0.1 ? 3 : 2;
  let distributions = '';
  for (let i = 0; i < count; i++) {
    const [format, media, extension] = FORMATS[(first + i) % FORMATS.length]!;
    const mediaType = i === 0 ? ` dcat:mediaType <${IANA}${media}> ;` : '';
    distributions += `${i ? ',\n    ' : ''}[ a dcat:Distribution ; dcat:accessURL <https://data.${org.domain}/${id}.${extension}> ; dct:format ft:${format} ;${mediaType} dct:license lic:${org.licence} ]`;
  }
  return `<datasets/${id}> a dcat:Dataset ;
  dct:identifier "${id}" ;
  dct:title "${nb} i ${place} ${year}"@nb, "${en} in ${place} ${year}"@en ;
  dct:description "${pick(DESCRIPTIONS)(nb.toLowerCase(), place, year, often)}"@nb ;
  dct:publisher org:${org.orgnr} ;
  dcat:theme theme:${theme} ;
  dcat:contactPoint ${contactPoint(org)} ;
  dct:accessRights access:PUBLIC ;
  dcat:distribution ${distributions} .
`;
}

/** An API serving some datasets of its organisation, named after the first. */
function dataServiceTurtle(org: Organisation, id: string, subject: Subject, serves: string[]): string {
  const [nb, en, theme, los] = subject;
  const path = `https://api.${org.domain}/${id}`;
  return `<data-services/${id}> a dcat:DataService ;
  dct:identifier "${id}" ;
  dct:title "API for ${nb.toLowerCase()}"@nb, "${en} API"@en ;
  dct:description "Åpent API med data om ${nb.toLowerCase()}."@nb ;
  dct:publisher org:${org.orgnr} ;
  dcat:endpointURL <${path}> ;
  dcat:endpointDescription <${path}/openapi.json> ;
  dcat:servesDataset ${serves.map((d) => `<datasets/${d}>`).join(', ')} ;
  dct:format ft:JSON ;
  dcat:theme theme:${theme}, ${los} ;
  dcat:keyword "API"@nb ;
  dcat:contactPoint ${contactPoint(org)} ;
  dct:accessRights access:PUBLIC ;
  dct:license lic:${org.licence} .
`;
}

/**
 * A public service of its organisation, grouped by an event when there is one. It gives every
 * property CPSV-AP-NO 1.1 recommends except a subject (a concept catalogue's IRI) and required
 * evidence (a node of six triples); its main activity is the EU table's `gen-pub`, the example the
 * profile gives (the table is not in vocab/, the profile checks only its IRI prefix).
 */
function publicServiceTurtle(org: Organisation, id: string, service: readonly [string, string, string], event: string | undefined): string {
  const [nb, en, los] = service;
  const page = `https://www.${org.domain}/${id}`;
  return `<services/${id}> a cpsv:PublicService ;
  dct:identifier "${id}" ;
  dct:title "${nb}"@nb, "${en}"@en ;
  dct:description "${nb}: les om vilkårene og send søknaden digitalt. Du får svar fra organisasjon ${org.orgnr}."@nb ;
  cv:hasCompetentAuthority org:${org.orgnr} ;
  cv:contactPoint [ a cv:ContactPoint ; cv:email "post@${org.domain}" ] ;
  cv:thematicArea ${los} ;${event ? `\n  cv:isGroupedBy <events/${event}> ;` : ''}
  dct:type <http://publications.europa.eu/resource/authority/main-activity/gen-pub> ;
  adms:status status:COMPLETED ;
  dct:spatial country:NOR ;
  foaf:homepage <${page}> ;
  cv:hasChannel [ a cv:Channel ; dct:identifier "${id}-web" ; dct:type channel:online-service ; vcard:hasURL <${page}/soknad> ] ;
  cpsvno:hasPossibleOutput [ a cpsvno:PossibleOutput ; dct:identifier "${id}-vedtak" ; dct:title "Vedtak"@nb ; dct:description "Vedtak om ${nb.toLowerCase()}."@nb ; dct:language lang:NOB ] .
`;
}

/** A life or business event, pointing to its services the two ways FDK's harvester and CPSV-AP-NO 1.1 read. */
function eventTurtle(id: string, event: (typeof EVENTS)[number], services: string[]): string {
  const links = services.map((s) => `<services/${s}>`).join(', ');
  return `<events/${id}> a ${event.class} ;
  dct:identifier "${id}" ;
  dct:title "${event.title[0]}"@nb, "${event.title[1]}"@en ;
  dct:description "${event.description}"@nb ;${services.length ? `\n  dct:relation ${links} ;\n  cpsvno:mayTriggerNeedFor ${links} ;` : ''}
  dct:type ${event.type} .
`;
}

/** The organisation's agent (also the competent authority of its services) and its catalogue. */
function catalogueTurtle(org: Organisation, members: Members): string {
  const links = (property: string, segment: string, ids: string[]) =>
    ids.length ? [`${property} ${ids.map((id) => `<${segment}/${id}>`).join(',\n    ')}`] : [];
  const properties = [
    `dct:identifier "org-${org.orgnr}"`,
    `dct:title "Katalog for organisasjon ${org.orgnr}"@nb, "Catalogue of organisation ${org.orgnr}"@en`,
    `dct:description "Datasett, API-er, tjenester og hendelser fra organisasjon ${org.orgnr}."@nb`,
    `dct:publisher org:${org.orgnr}`,
    `foaf:homepage <https://www.${org.domain}/>`,
    `dct:license lic:${org.licence}`,
    'dct:language lang:NOB',
    'dct:spatial country:NOR',
    'dct:issued "2020-01-01"^^xsd:date',
    'dct:modified "2026-01-01"^^xsd:date',
    'dcat:themeTaxonomy <http://publications.europa.eu/resource/authority/data-theme>',
    ...links('dcat:dataset', 'datasets', members.datasets),
    ...links('dcat:service', 'data-services', members.apis),
    ...links('dcatno:containsService', 'services', members.services),
    ...links('dcatno:containsEvent', 'events', members.events),
  ];
  return `org:${org.orgnr} a foaf:Agent, cv:PublicOrganisation ;
  dct:identifier "${org.orgnr}" ;
  foaf:name "Organisasjon ${org.orgnr}"@nb ;
  skos:prefLabel "Organisasjon ${org.orgnr}"@nb ;
  dct:type <http://purl.org/adms/publishertype/NationalAuthority> ;
  dct:spatial country:NOR .
<catalogs/org-${org.orgnr}> a dcat:Catalog ;
  ${properties.join(' ;\n  ')} .
`;
}

/**
 * `datasets` datasets spread over `organisations` catalogues (dataset d belongs to organisation
 * d mod organisations, id `bench-{orgnr}-{d}`), with relative record IRIs, and per organisation
 * data services, public services and events in proportion to its datasets.
 */
export function generateCatalogues(datasets: number, organisations = 10, seed = 1): GeneratedCatalogue[] {
  const next = random(seed);
  const pick: Pick = (list) => list[Math.floor(next() * list.length)]!;
  const out: GeneratedCatalogue[] = [];
  for (let o = 0; o < organisations; o++) {
    const orgnr = String(910000000 + o * 7919);
    const org: Organisation = { orgnr, domain: `org${o}.example.no`, licence: LICENCES[o % LICENCES.length]! };
    const members: Members = { datasets: [], apis: [], services: [], events: [] };
    const subjects: Subject[] = [];
    const body: string[] = [];
    for (let d = o; d < datasets; d += organisations) {
      const id = `bench-${orgnr}-${d}`;
      const subject = pick(SUBJECTS);
      members.datasets.push(id);
      subjects.push(subject);
      body.push(datasetTurtle(org, id, subject, pick, next));
    }
    const n = members.datasets.length;
    for (let k = 0; k < Math.round(n / 20); k++) {
      const id = `bench-${orgnr}-api-${k}`;
      members.apis.push(id);
      body.push(dataServiceTurtle(org, id, subjects[k * 20]!, members.datasets.slice(k * 20, k * 20 + 2 + (k % 2))));
    }
    const events = Math.round(n / 100);
    const services = Math.round(n / 25);
    for (let e = 0; e < events; e++) members.events.push(`bench-${orgnr}-event-${e}`);
    const grouped: string[][] = members.events.map(() => []);
    for (let k = 0; k < services; k++) {
      const id = `bench-${orgnr}-service-${k}`;
      const e = events ? Math.floor((k * events) / services) : undefined;
      const kind = EVENTS[(e ?? k) % EVENTS.length]!;
      members.services.push(id);
      if (e !== undefined) grouped[e]!.push(id);
      body.push(publicServiceTurtle(org, id, kind.services[k % kind.services.length]!, e === undefined ? undefined : members.events[e]));
    }
    members.events.forEach((id, e) => body.push(eventTurtle(id, EVENTS[e % EVENTS.length]!, grouped[e]!)));
    out.push({ organisation: orgnr, turtle: PREFIXES + catalogueTurtle(org, members) + body.join('') });
  }
  return out;
}

/**
 * `npx tsx bench/generate.ts OUTDIR [--datasets N] [--organisations N] [--seed N]`: writes one Turtle
 * file per organisation that `katalog load` accepts and that passes validation.
 */
async function main(argv: string[]): Promise<void> {
  const { parseArgs } = await import('node:util');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { datasets: { type: 'string', default: '100000' }, organisations: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } },
  });
  const out = positionals[0];
  if (!out) throw new Error('usage: npx tsx bench/generate.ts OUTDIR [--datasets N] [--organisations N] [--seed N]');
  mkdirSync(out, { recursive: true });
  const catalogues = generateCatalogues(Number(values.datasets), Number(values.organisations), Number(values.seed));
  for (const { organisation, turtle } of catalogues) writeFileSync(join(out, `org-${organisation}.ttl`), turtle);
  console.log(`wrote ${catalogues.length} files with ${values.datasets} datasets to ${out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
