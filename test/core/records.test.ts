import type { Quad } from '@rdfjs/types';
import { describe, expect, it } from 'vitest';
import { RdfSyntaxError } from '../../src/core/errors.js';
import { parseRdf } from '../../src/core/parse.js';
import { organisationOf } from '../../src/core/organisations.js';
import { describeRecord, joinRecords, mintBlankRoots, relabelBlankNodes, splitIntoRecords } from '../../src/core/records.js';
import { termToNt } from '../../src/core/rdf-terms.js';
import { parseableExamples, unparseableExamples } from '../helpers/fixtures.js';
import { sameGraph } from '../helpers/graphs.js';

const parse = (text: string) => parseRdf(text, 'turtle', { baseIRI: 'http://example.com/' });
const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix cpsv: <http://purl.org/vocab/cpsv#> . @prefix cv: <http://data.europa.eu/m8g/> .
@prefix dcatno: <https://data.norge.no/vocabulary/dcatno#> .\n`;

const subjects = (quads: Quad[]) => new Set(quads.map((q) => termToNt(q.subject)));

describe('splitting a graph into records and joining them again', () => {
  for (const example of parseableExamples()) {
    it(`is isomorphic to the input for ${example.name}`, async () => {
      const quads = await parseRdf(example.text, example.format.id, { baseIRI: 'http://example.com/' });
      const { records, remainder } = splitIntoRecords(relabelBlankNodes(quads, 'x'));
      expect(records.length).toBeGreaterThan(0);
      expect(sameGraph(joinRecords([...records, { quads: remainder }]), quads)).toBe(true);
    });
  }

  for (const example of unparseableExamples()) {
    it(`reports the syntax error of ${example.name} with its line`, async () => {
      const error = await parseRdf(example.text, example.format.id, { baseIRI: 'http://example.com/' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RdfSyntaxError);
      expect((error as RdfSyntaxError).line).toBeGreaterThan(1);
    });
  }
});

describe('what a record holds', () => {
  const graph = `${PREFIXES}
<http://ex/cat> a dcat:Catalog ; dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673> ; dcat:dataset <http://ex/ds1>, <http://ex/ds2> ;
  dcatno:containsService <http://ex/svc> .
<http://ex/ds1> a dcat:Dataset ; dct:title "En"@nb ; dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673> ;
  dcat:distribution <http://ex/ds1#csv> ; dcat:contactPoint [ a vcard:Organization ; vcard:fn "Kontakt" ] .
<http://ex/ds1#csv> a dcat:Distribution ; dcat:accessURL <http://ex/file.csv> .
<http://ex/ds2> a dcat:Dataset ; dct:title "To"@nb ; dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673> .
<https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673> a foaf:Agent ; foaf:name "Brønnøysundregistrene" .
<http://ex/svc> a cpsv:PublicService ; cv:hasCompetentAuthority <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673> ; cv:isGroupedBy <http://ex/ev> .
<http://ex/ev> a cv:LifeEvent ; dct:title "Flytte"@nb .
<http://ex/record1> a dcat:CatalogRecord ; foaf:primaryTopic <http://ex/ds2> .
<http://ex/lonely> dct:title "belongs to nothing" .
`;

  it('gives each record its own triples and the nodes only it points to', async () => {
    const { records, remainder } = splitIntoRecords(await parse(graph));
    const byIri = new Map(records.map((r) => [r.root.value, r]));
    expect([...byIri.keys()].sort()).toEqual(['http://ex/cat', 'http://ex/ds1', 'http://ex/ds2', 'http://ex/ev', 'http://ex/svc']);
    expect(byIri.get('http://ex/ds1')!.kind.kind).toBe('dataset');
    expect(byIri.get('http://ex/svc')!.kind.kind).toBe('service');
    expect(byIri.get('http://ex/ev')!.kind.kind).toBe('event');
    const ds1 = subjects(byIri.get('http://ex/ds1')!.quads);
    expect(ds1.has('<http://ex/ds1#csv>')).toBe(true);
    expect([...ds1].some((s) => s.startsWith('_:'))).toBe(true);
    // a record never contains another record's own triples
    expect(ds1.has('<http://ex/ds2>')).toBe(false);
    expect(subjects(byIri.get('http://ex/cat')!.quads).has('<http://ex/ds1>')).toBe(false);
    expect(remainder.map((q) => q.subject.value)).toEqual(['http://ex/lonely']);
  });

  it('copies a node several records point to (the publisher agent) into each of them', async () => {
    const { records } = splitIntoRecords(await parse(graph));
    for (const iri of ['http://ex/cat', 'http://ex/ds1', 'http://ex/ds2', 'http://ex/svc']) {
      expect(
        subjects(records.find((r) => r.root.value === iri)!.quads).has('<https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673>'),
      ).toBe(true);
    }
  });

  it('attaches a node that only points to a record (a catalogue record) to that record', async () => {
    const { records } = splitIntoRecords(await parse(graph));
    expect(subjects(records.find((r) => r.root.value === 'http://ex/ds2')!.quads).has('<http://ex/record1>')).toBe(true);
  });

  it('reads publisher, organisation number and catalogue members', async () => {
    const { records } = splitIntoRecords(await parse(graph));
    const cat = describeRecord(records.find((r) => r.root.value === 'http://ex/cat')!);
    expect(cat.publisher).toBe('https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673');
    expect(cat.organisation).toBe('974760673');
    expect(cat.members.sort()).toEqual(['http://ex/ds1', 'http://ex/ds2', 'http://ex/svc']);
    expect(describeRecord(records.find((r) => r.root.value === 'http://ex/svc')!).organisation).toBe('974760673');
  });

  it('takes the organisation number from either publisher IRI form, and from nothing else', () => {
    expect(organisationOf('https://organization-catalog.fellesdatakatalog.digdir.no/organizations/991825827')).toBe('991825827');
    expect(organisationOf('https://data.brreg.no/enhetsregisteret/api/enheter/974760673')).toBe('974760673');
    expect(organisationOf('http://ex/org/12345')).toBeUndefined();
    expect(organisationOf('http://ex/org/1234567890')).toBeUndefined();
    expect(organisationOf('urn:evil:974760673')).toBeUndefined();
    expect(organisationOf('https://data.brreg.no/enhetsregisteret/api/enheter/991825827?x=974760673')).toBeUndefined();
    expect(organisationOf('https://data.brreg.no/enhetsregisteret/api/enheter/974760673/')).toBeUndefined();
    expect(organisationOf('http://data.brreg.no/enhetsregisteret/api/enheter/974760673')).toBeUndefined();
  });

  it('keeps a blank node shared by two records under one label, so that joining merges it again', async () => {
    const quads = await parse(`${PREFIXES}
      <http://ex/a> a dcat:Dataset ; dct:spatial _:place . <http://ex/b> a dcat:Dataset ; dct:spatial _:place .
      _:place dct:title "Oslo" .`);
    const { records, sharedBlankNodes } = splitIntoRecords(relabelBlankNodes(quads, 'p'));
    expect(sharedBlankNodes.size).toBe(1);
    expect(records.every((r) => r.quads.length === 3)).toBe(true);
    expect(sameGraph(joinRecords(records), quads)).toBe(true);
  });

  it('mints an IRI for a blank-node record root everywhere it is used', async () => {
    const quads = await parse(`${PREFIXES} <http://ex/cat> a dcat:Catalog ; dcat:dataset _:d . _:d a dcat:Dataset ; dct:title "x" .`);
    const minted = mintBlankRoots(quads, (kind) => `http://k/${kind.segment}/new`);
    expect(minted.some((q) => q.subject.value === 'http://k/datasets/new')).toBe(true);
    expect(minted.some((q) => q.object.value === 'http://k/datasets/new')).toBe(true);
    expect(minted.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode')).toBe(false);
  });
});
