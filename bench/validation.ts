/**
 * Validation benchmarks: bulk records per second against rdf-validate-shacl running the official
 * DCAT-AP-NO shape file, and running our own shapes, on the same records; one POST /validate round
 * trip; loading the vocabularies and profiles; the W3C suite's shacl-shacl case in both engines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Quad } from '@rdfjs/types';
import rdf from '@zazuko/env-node';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { loadValidationResources } from '../src/catalog/resources.js';
import { validateRecord } from '../src/catalog/validator.js';
import { parseRdf } from '../src/core/parse.js';
import { validateGraph } from '../src/core/validation/engine.js';
import { compileShapes } from '../src/core/validation/shapes.js';
import { VocabularyIndex } from '../src/core/vocabularies.js';
import { relabelBlankNodes, splitIntoRecords } from '../src/core/records.js';
import { projectFile } from '../src/project-files.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { generateCatalogues } from './generate.js';
import { median, type Row } from './measure.js';

const UPSTREAM = join(projectFile(), '..', 'shared', 'reference', 'shapes', 'dcat-ap-no-2.2', 'shacl', 'DCAT-AP-NO-shacl_shapes_2.00.ttl');

async function datasetRecords(count: number): Promise<Quad[][]> {
  const out: Quad[][] = [];
  for (const { organisation, turtle } of generateCatalogues(count, 10)) {
    const quads = relabelBlankNodes(await parseRdf(turtle, 'turtle', { baseIRI: 'http://localhost:3000/' }), `b${organisation}_`);
    for (const r of splitIntoRecords(quads).records) if (r.kind.kind === 'dataset') out.push(r.quads);
  }
  return out;
}

/**
 * The W3C suite's complex/shacl-shacl case: SHACL's own shapes for shapes graphs, validating
 * themselves (a shapes graph full of paths, lists, logical and closed shapes). Both engines compile
 * the shapes and validate, each in a loop, median per run.
 */
async function shaclShaclRow(): Promise<Row> {
  const file = join(projectFile(), 'test', 'fixtures', 'shacl-core', 'complex', 'shacl-shacl-data-shapes.ttl');
  const quads = new Parser({ baseIRI: pathToFileURL(file).href }).parse(readFileSync(file, 'utf8')) as Quad[];
  const vocabularies = new VocabularyIndex([]);
  const timed = async (run: () => unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      await run();
      if (i >= 10) samples.push(performance.now() - t);
    }
    return median(samples);
  };
  const ours = await timed(() => {
    if (!validateGraph(quads, compileShapes(quads), vocabularies).conforms) throw new Error('shacl-shacl should conform');
  });
  const theirs = await timed(async () => {
    const report = await new SHACLValidator(rdf.dataset(quads as never) as never, { factory: rdf as never }).validate(rdf.dataset(quads as never) as never);
    if (!report.conforms) throw new Error('shacl-shacl should conform (rdf-validate-shacl)');
  });
  return {
    benchmark: `W3C SHACL Core suite complex/shacl-shacl (${quads.length} triples validated against themselves), compile + validate`,
    ours: `${ours.toFixed(2)} ms`,
    reference: `rdf-validate-shacl: ${theirs.toFixed(2)} ms`,
    ratio: theirs / ours,
    target: 'recorded (no target)',
  };
}

export const validationBenchmarks: Record<string, () => Promise<Row[]>> = {
  async validation() {
    const rows: Row[] = [];

    const loads: number[] = [];
    let resources = loadValidationResources();
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      resources = loadValidationResources();
      loads.push(performance.now() - start);
    }
    rows.push({
      benchmark: `load and index ${resources.vocabularies.size} vocabulary concepts and compile 5 profiles`,
      ours: `${median(loads).toFixed(0)} ms`,
      reference: 'target 2000 ms',
      ratio: 2000 / median(loads),
      target: '>= 1 (under 2 s)',
    });

    const records = await datasetRecords(20_000);
    const profile = resources.profiles.get('dcat-ap-no')!;
    let violations = 0;
    const start = performance.now();
    for (const quads of records) violations += validateRecord(quads, profile, resources).results.filter((r) => r.severity === 'Violation').length;
    const ours = records.length / ((performance.now() - start) / 1000);
    if (violations > 0) throw new Error(`generated records should be valid, got ${violations} violations`);

    let reference = NaN;
    let referenceNote = 'skipped: ../shared/reference is absent';
    try {
      const shapes = rdf.dataset(new Parser().parse(readFileSync(UPSTREAM, 'utf8')) as never);
      const validator = new SHACLValidator(shapes as never, { factory: rdf as never });
      const sample = records.slice(0, 1000);
      const t = performance.now();
      for (const quads of sample) await validator.validate(rdf.dataset(quads as never) as never);
      reference = sample.length / ((performance.now() - t) / 1000);
      referenceNote = `rdf-validate-shacl + official DCAT-AP-NO 2.2 shapes, no vocabularies: ${reference.toFixed(0)} records/s`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    rows.push({
      benchmark: `bulk validation of ${records.length} generated datasets (2-3 distributions each), dcat-ap-no with vocabulary checks`,
      ours: `${ours.toFixed(0)} records/s`,
      reference: referenceNote,
      ratio: ours / reference,
      target: '>= 3, and >= 5000 records/s',
    });

    // The same records and the same (our own) shapes in rdf-validate-shacl, with the vocabularies'
    // skos:inScheme triples in its data graph (kept in one dataset; each record added, then removed).
    const memberships = [...resources.vocabularyTriples.values()].flat().filter((q) => q.predicate.value === 'http://www.w3.org/2004/02/skos/core#inScheme');
    const ownValidator = new SHACLValidator(rdf.dataset(profile.shapes as never) as never, { factory: rdf as never });
    const dataset = rdf.dataset(memberships as never);
    const sample = records.slice(0, 300);
    const t0 = performance.now();
    for (const quads of sample) {
      const added = quads.filter((q) => !dataset.has(q as never));
      for (const q of added) dataset.add(q as never);
      const report = await ownValidator.validate(dataset as never);
      for (const q of added) dataset.delete(q as never);
      if (!report.conforms && report.results.some((r) => r.severity?.value.endsWith('Violation')))
        throw new Error('rdf-validate-shacl finds violations in a generated record');
    }
    const sameShapes = sample.length / ((performance.now() - t0) / 1000);
    rows.push({
      benchmark: `bulk validation, same records and same shapes (our dcat-ap-no with vocabulary memberships in the data graph)`,
      ours: `${ours.toFixed(0)} records/s`,
      reference: `rdf-validate-shacl: ${sameShapes.toFixed(1)} records/s`,
      ratio: ours / sameShapes,
      target: '>= 10',
    });

    rows.push(await shaclShaclRow());

    const store = new SqliteStore(':memory:');
    // As served: bodies go to the worker threads; the rate limit is lifted for the measurement.
    const app = await buildApp(readConfig({ VALIDATE_RATE_LIMIT: '1000000' }), { store, validation: resources });
    const body = readFileSync(join(projectFile(), 'test', 'fixtures', 'validation', 'dcat-ap-no', 'valid-full-dataset.ttl'));
    const samples: number[] = [];
    for (let i = 0; i < 600; i++) {
      const t = performance.now();
      const response = await app.inject({ method: 'POST', url: '/validate', payload: body, headers: { 'content-type': 'text/turtle' } });
      if (i >= 100) samples.push(performance.now() - t);
      if (response.statusCode !== 200) throw new Error(`POST /validate answered ${response.statusCode}`);
    }
    await app.close();
    await store.close();
    const p50 = median(samples);
    rows.push({
      benchmark: 'POST /validate of one dataset with distributions (app.inject, in-process), p50',
      ours: `${p50.toFixed(2)} ms`,
      reference: 'target 2 ms',
      ratio: 2 / p50,
      target: '>= 1 (p50 under 2 ms)',
    });
    return rows;
  },
};
