/**
 * A deterministic generator of realistic DCAT-AP-NO catalogues for benchmarks: organisations, each
 * with a catalogue of datasets (two or three distributions, a contact point, nb/en titles, EU data
 * themes). The same arguments always give the same Turtle.
 */
const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'];
const FORMATS = [
  ['CSV', 'text/csv'],
  ['JSON', 'application/json'],
  ['XML', 'application/xml'],
  ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
] as const;
const SUBJECTS = ['Befolkning', 'Arbeidsledighet', 'Boligpriser', 'Skoleresultater', 'Luftkvalitet', 'Trafikkulykker', 'Kommuneøkonomi', 'Sykefravær'];
const PLACES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromsø', 'Bodø', 'Kristiansand', 'Hamar'];

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
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
`;

/** `datasets` datasets spread over `organisations` catalogues, with relative record IRIs. */
export function generateCatalogues(datasets: number, organisations = 10, seed = 1): GeneratedCatalogue[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const out: GeneratedCatalogue[] = [];
  for (let o = 0; o < organisations; o++) {
    const orgnr = String(910000000 + o * 7919);
    const publisher = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${orgnr}`;
    const ids: string[] = [];
    let body = '';
    for (let d = o; d < datasets; d += organisations) {
      const id = `bench-${orgnr}-${d}`;
      ids.push(id);
      const subject = pick(SUBJECTS);
      const place = pick(PLACES);
      const year = 2000 + Math.floor(next() * 25);
      const distributions = 2 + Math.floor(next() * 2);
      body += `<datasets/${id}> a dcat:Dataset ;
  dct:identifier "${id}" ;
  dct:title "${subject} i ${place} ${year}"@nb, "${subject} in ${place} ${year}"@en ;
  dct:description "Statistikk over ${subject.toLowerCase()} i ${place}, oppdatert årlig."@nb ;
  dct:publisher <${publisher}> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/${pick(THEMES)}> ;
  dcat:keyword "${subject.toLowerCase()}"@nb, "${place.toLowerCase()}"@nb ;
  dct:issued "${year}-01-01"^^xsd:date ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Kundeservice" ; vcard:hasEmail <mailto:post@org${o}.example.no> ] ;
  dcat:distribution ${Array.from({ length: distributions }, (_, i) => `<datasets/${id}#d${i}>`).join(', ')} .
`;
      for (let i = 0; i < distributions; i++) {
        const [format, media] = FORMATS[(d + i) % FORMATS.length]!;
        body += `<datasets/${id}#d${i}> a dcat:Distribution ;
  dct:title "${subject} som ${format}"@nb ;
  dcat:accessURL <https://data.org${o}.example.no/${id}/${format.toLowerCase()}> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/${format}> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/${media}> ;
  dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> .
`;
      }
    }
    const catalogue = `<catalogs/org-${orgnr}> a dcat:Catalog ;
  dct:identifier "org-${orgnr}" ;
  dct:title "Katalog for organisasjon ${orgnr}"@nb ;
  dct:description "Datasett fra organisasjon ${orgnr}."@nb ;
  dct:publisher <${publisher}> ;
  dcat:dataset ${ids.map((id) => `<datasets/${id}>`).join(', ') || '<datasets/none>'} .
<${publisher}> a foaf:Agent ; dct:identifier "${orgnr}" ; foaf:name "Organisasjon ${orgnr}"@nb .
`;
    out.push({ organisation: orgnr, turtle: PREFIXES + catalogue + body });
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
