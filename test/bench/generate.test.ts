import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalogues, type GeneratedCatalogue } from '../../bench/generate.js';
import { type LoadReport, loadDirectory } from '../../src/catalog/data-loader.js';
import { validateDocument } from '../../src/catalog/validator.js';
import { kindOfTypes } from '../../src/core/kinds.js';
import { CPSVNO, CV, DCAT, DCT, RDF_TYPE } from '../../src/core/namespaces.js';
import { parseRdf } from '../../src/core/parse.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { TEST_BASE } from '../helpers/graphs.js';
import { resources } from '../helpers/validation.js';

const DATASETS = 400;
const ORGANISATIONS = 4;

let dir: string;
let store: SqliteStore;
let catalogues: GeneratedCatalogue[];
let graphs: Quad[][];
let report: LoadReport;

beforeAll(async () => {
  catalogues = generateCatalogues(DATASETS, ORGANISATIONS);
  graphs = await Promise.all(catalogues.map((c) => parseRdf(c.turtle, 'turtle', { baseIRI: `${TEST_BASE}/` })));
  dir = mkdtempSync(join(tmpdir(), 'katalog-generate-'));
  mkdirSync(join(dir, 'data'));
  for (const { organisation, turtle } of catalogues) writeFileSync(join(dir, 'data', `org-${organisation}.ttl`), turtle);
  store = new SqliteStore(join(dir, 'k.db'));
  report = await loadDirectory(store, join(dir, 'data'), { baseUrl: TEST_BASE, validation: resources() });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Record IRI -> its rdf:type values, over every generated file. */
function recordTypes(): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const q of graphs.flat()) {
    if (q.predicate.value !== RDF_TYPE || q.subject.termType !== 'NamedNode') continue;
    types.set(q.subject.value, [...(types.get(q.subject.value) ?? []), q.object.value]);
  }
  return new Map([...types].filter(([, t]) => kindOfTypes(t)));
}

describe('the benchmark catalogue generator (bench/generate.ts)', () => {
  it('gives the same Turtle for the same arguments and other Turtle for another seed', () => {
    expect(generateCatalogues(DATASETS, ORGANISATIONS, 1)).toEqual(catalogues);
    const other = generateCatalogues(DATASETS, ORGANISATIONS, 2);
    expect(other.map((c) => c.organisation)).toEqual(catalogues.map((c) => c.organisation));
    expect(other.every((c, i) => c.turtle !== catalogues[i]!.turtle)).toBe(true);
  });

  it('writes one catalogue per organisation, each a file that parses', () => {
    expect(catalogues).toHaveLength(ORGANISATIONS);
    expect(new Set(catalogues.map((c) => c.organisation)).size).toBe(ORGANISATIONS);
    expect(report.files).toHaveLength(ORGANISATIONS);
    for (const file of report.files) expect(file.error, file.file).toBeUndefined();
    for (const graph of graphs) expect(graph.length).toBeGreaterThan(0);
  });

  it('loads with validation refusing no record and leaving no triple outside a record', () => {
    expect(report.failed).toBe(0);
    for (const file of report.files) {
      expect(file.rejected, file.file).toEqual([]);
      expect(file.skippedTriples, file.file).toBe(0);
    }
  });

  it('makes every kind of record, the services and events in proportion to the datasets', () => {
    const { catalog, dataset, 'data-service': apis, service, event, ...rest } = report.loaded;
    expect(catalog).toBe(ORGANISATIONS);
    expect(dataset).toBe(DATASETS);
    expect(rest).toEqual({});
    expect(apis).toBe(DATASETS / 20);
    expect(service).toBe(DATASETS / 25);
    expect(event).toBe(DATASETS / 100);
  });

  it('gives catalogues, data services and events no warning, and services only the two it leaves out', () => {
    const warnings = new Map<string, Set<string>>();
    for (const graph of graphs) {
      const validation = validateDocument(graph, resources());
      expect(validation.counts.violations).toBe(0);
      for (const record of validation.records) {
        const paths = warnings.get(record.kind) ?? new Set<string>();
        for (const r of record.results) paths.add(`${r.severity} ${r.path}`);
        warnings.set(record.kind, paths);
      }
    }
    expect([...warnings.get('catalog')!]).toEqual([]);
    expect([...warnings.get('data-service')!]).toEqual([]);
    expect([...warnings.get('event')!]).toEqual([]);
    expect([...warnings.get('service')!].sort()).toEqual([`Warning ${DCT('subject')}`, `Warning ${CPSVNO('hasRequiredEvidence')}`].sort());
    expect([...warnings.get('dataset')!].every((w) => w.startsWith('Warning '))).toBe(true);
  });

  it('links data services to datasets and services to events (both ways) only among its own records', () => {
    const records = recordTypes();
    const links = graphs
      .flat()
      .filter((q) => [DCAT('servesDataset'), CV('isGroupedBy'), DCT('relation'), CPSVNO('mayTriggerNeedFor')].includes(q.predicate.value));
    expect(links.length).toBeGreaterThan(0);
    for (const q of links) expect(records.has(q.object.value), `${q.predicate.value} ${q.object.value}`).toBe(true);
    const key = (q: Quad) => (q.predicate.value === CV('isGroupedBy') ? `${q.object.value} ${q.subject.value}` : `${q.subject.value} ${q.object.value}`);
    const grouped = links
      .filter((q) => q.predicate.value === CV('isGroupedBy'))
      .map(key)
      .sort();
    expect(grouped.length).toBeGreaterThan(0);
    expect(
      links
        .filter((q) => q.predicate.value === DCT('relation'))
        .map(key)
        .sort(),
    ).toEqual(grouped);
    expect(
      links
        .filter((q) => q.predicate.value === CPSVNO('mayTriggerNeedFor'))
        .map(key)
        .sort(),
    ).toEqual(grouped);
  });

  it('is about 1.1 KB of Turtle and 20-28 triples per dataset, all kinds of record included', () => {
    const bytes = catalogues.reduce((n, c) => n + Buffer.byteLength(c.turtle), 0);
    const triples = graphs.reduce((n, g) => n + g.length, 0);
    expect(bytes / DATASETS).toBeGreaterThanOrEqual(900);
    expect(bytes / DATASETS).toBeLessThanOrEqual(1400);
    expect(triples / DATASETS).toBeGreaterThanOrEqual(20);
    expect(triples / DATASETS).toBeLessThanOrEqual(28);
  });
});
