import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOfFileName } from '../../src/core/media-types.js';
import { CV, DCAT, DCT, RDF_TYPE } from '../../src/core/namespaces.js';
import { parseRdf } from '../../src/core/parse.js';
import { joinRecords, relabelBlankNodes, splitIntoRecords } from '../../src/core/records.js';
import { triplesOf } from '../../src/core/serialize/representations.js';
import { projectFile } from '../../src/project-files.js';
import type { StoredRecord } from '../../src/store/store.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { sameGraph, TEST_BASE } from '../helpers/graphs.js';

const DATA = projectFile('data');
let t: TestApp;
let records: StoredRecord[];
const quadsOf = new Map<string, Quad[]>();

beforeAll(async () => {
  t = await buildTestApp(DATA, { validate: true });
  records = [];
  for await (const r of t.store.scan()) {
    records.push(r);
    quadsOf.set(r.iri, triplesOf(r.nt));
  }
});
afterAll(() => t.close());

const objects = (record: StoredRecord, predicate: string) =>
  quadsOf
    .get(record.iri)!
    .filter((q) => q.subject.value === record.iri && q.predicate.value === predicate)
    .map((q) => q.object);
const ofKind = (kind: StoredRecord['kind']) => records.filter((r) => r.kind === kind);

describe('the seed catalogue in data/', () => {
  it('loads every file without errors, every record valid under its default profile', () => {
    expect(t.report.failed).toBe(0);
    expect(t.report.files.every((f) => f.rejected.length === 0)).toBe(true);
    expect(t.report.files.length).toBeGreaterThanOrEqual(3);
    expect(t.report.files.every((f) => f.skippedTriples === 0)).toBe(true);
  });

  it('splits and joins back to each file graph', async () => {
    for (const name of readdirSync(DATA).filter((n) => formatOfFileName(n))) {
      const format = formatOfFileName(name)!;
      const quads = await parseRdf(readFileSync(join(DATA, name), 'utf8'), format.id, { baseIRI: `${TEST_BASE}/` });
      const { records: split, remainder } = splitIntoRecords(relabelBlankNodes(quads, 's'));
      expect(sameGraph(joinRecords([...split, { quads: remainder }]), quads), name).toBe(true);
    }
  });

  it('has a catalogue for each of at least three organisations, with real publisher IRIs', () => {
    const catalogues = ofKind('catalog');
    const organisations = new Set(catalogues.map((c) => c.organisation));
    expect(organisations.size).toBeGreaterThanOrEqual(3);
    for (const c of catalogues) {
      expect(c.publisher).toBe(`https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${c.organisation}`);
      expect(c.organisation).toMatch(/^\d{9}$/);
    }
  });

  it('has at least 30 datasets, each with a distribution, an nb title and an EU data theme', () => {
    const datasets = ofKind('dataset');
    expect(datasets.length).toBeGreaterThanOrEqual(30);
    for (const d of datasets) {
      expect(objects(d, DCAT('distribution')).length, d.iri).toBeGreaterThan(0);
      expect(
        objects(d, DCT('title')).some((t) => t.termType === 'Literal' && t.language === 'nb'),
        d.iri,
      ).toBe(true);
      expect(
        objects(d, DCAT('theme')).some((t) => t.value.startsWith('http://publications.europa.eu/resource/authority/data-theme/')),
        d.iri,
      ).toBe(true);
    }
    expect(datasets.some((d) => objects(d, DCAT('theme')).some((t) => t.value.startsWith('https://psi.norge.no/los/')))).toBe(true);
  });

  it('has at least 5 data services and 15 public services, each service grouped by an event record', () => {
    expect(ofKind('data-service').length).toBeGreaterThanOrEqual(5);
    const services = ofKind('service');
    expect(services.length).toBeGreaterThanOrEqual(15);
    const events = new Set(ofKind('event').map((e) => e.iri));
    expect(events.size).toBeGreaterThan(0);
    const grouped = services.filter((s) => objects(s, CV('isGroupedBy')).some((e) => events.has(e.value)));
    expect(grouped.length).toBeGreaterThanOrEqual(15);
    for (const e of ofKind('event')) expect(objects(e, RDF_TYPE).some((t) => t.value === CV('LifeEvent') || t.value === CV('BusinessEvent'))).toBe(true);
  });

  it('puts every record except the catalogues in exactly one catalogue, and every record IRI dereferences', async () => {
    for (const r of records) {
      if (r.kind !== 'catalog') expect(r.catalog, r.iri).toBeDefined();
      expect(r.iri.startsWith(`${TEST_BASE}/`), r.iri).toBe(true);
      const response = await t.app.inject({ method: 'GET', url: r.iri.slice(TEST_BASE.length), headers: { accept: 'application/n-triples' } });
      expect(response.statusCode, r.iri).toBe(200);
    }
    const memberships = ofKind('catalog').flatMap((c) => c.members ?? []);
    expect(new Set(memberships).size).toBe(memberships.length);
  });
});
