import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad, Term } from '@rdfjs/types';
import { compilePath, pathLabel } from '../../src/core/validation/paths.js';
import { ShapesGraph } from '../../src/core/validation/shapes-graph.js';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';
import { loadValidationResources, type ValidationResources } from '../../src/catalog/resources.js';
import { parseRdf } from '../../src/core/parse.js';
import { formatOfFileName } from '../../src/core/media-types.js';
import { FIXTURES } from './fixtures.js';

let cached: ValidationResources | undefined;
/** The project's vocabularies and profiles, loaded once per test file. */
export function resources(): ValidationResources {
  return (cached ??= loadValidationResources());
}

export const VALIDATION_FIXTURES = join(FIXTURES, 'validation');

export interface ExpectedResult {
  focusNode: string;
  path: string;
  severity: 'Violation' | 'Warning' | 'Info';
}

export interface ValidationFixture {
  profile: string;
  name: string;
  path: string;
  expected: { conforms: boolean; results: ExpectedResult[] };
}

/**
 * Every test/fixtures/validation/<profile>/*.{ttl,jsonld,nt,rdf,nq,trig} and
 * <profile>/classes/* (fixtures class by class), each with its entry in the expected.json beside it.
 * A fixture's name is its path below the profile's folder.
 */
export function validationFixtures(): ValidationFixture[] {
  if (!existsSync(VALIDATION_FIXTURES)) return [];
  return readdirSync(VALIDATION_FIXTURES).flatMap((profile) =>
    ['', 'classes'].flatMap((sub) => {
      const dir = join(VALIDATION_FIXTURES, profile, sub);
      const expectedFile = join(dir, 'expected.json');
      if (!existsSync(expectedFile)) return [];
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Record<string, ValidationFixture['expected']>;
      return readdirSync(dir)
        .filter((name) => formatOfFileName(name) && name !== 'expected.json')
        .sort()
        .map((name) => ({ profile, name: sub ? `${sub}/${name}` : name, path: join(dir, name), expected: expected[name]! }));
    }),
  );
}

export async function readGraph(path: string): Promise<Quad[]> {
  return parseRdf(readFileSync(path, 'utf8'), formatOfFileName(path)!.id, { baseIRI: 'https://katalog.example/' });
}

/** `focus|path|severity` keys of a result list, sorted, blank focus nodes as _:blank. */
export function resultKeys(results: Array<{ focusNode: { termType: string; value: string } | string; path: string; severity: string }>): string[] {
  return results
    .map((r) => {
      const focus = typeof r.focusNode === 'string' ? r.focusNode : r.focusNode.termType === 'BlankNode' ? '_:blank' : r.focusNode.value;
      return `${focus.startsWith('_:') ? '_:blank' : focus}|${r.path}|${r.severity}`;
    })
    .sort();
}

const SKOS_IN_SCHEME = 'http://www.w3.org/2004/02/skos/core#inScheme';

/** The vocabularies' skos:inScheme triples: what a plain SHACL processor needs in the data graph. */
let memberships: Quad[] | undefined;
export function membershipTriples(): Quad[] {
  return (memberships ??= [...resources().vocabularyTriples.values()].flat().filter((q) => q.predicate.value === SKOS_IN_SCHEME));
}

/** One rdf-validate-shacl validator per shapes graph (building one costs about as much as a validation). */
const validators = new WeakMap<Quad[], SHACLValidator>();
/** The data graphs of `oracle` start with the same triples (the vocabularies' memberships): built once. */
let base: { quads: Quad[]; dataset: ReturnType<typeof rdf.dataset> } | undefined;

/**
 * Runs rdf-validate-shacl (the oracle) over `data` with `shapes`. `common` triples (membershipTriples(),
 * the same array every time) go into a data graph kept between calls, with `data` added to it and
 * taken out again after the validation.
 */
export async function oracle(shapes: Quad[], data: Quad[], common: Quad[] = []) {
  let validator = validators.get(shapes);
  if (!validator) validators.set(shapes, (validator = new SHACLValidator(rdf.dataset(shapes as never) as never, { factory: rdf as never })));
  if (base?.quads !== common) base = { quads: common, dataset: rdf.dataset(common as never) };
  const dataset = base.dataset;
  const added = data.filter((q) => !dataset.has(q as never));
  for (const q of added) dataset.add(q as never);
  let report: Awaited<ReturnType<SHACLValidator['validate']>>;
  try {
    report = await validator.validate(dataset as never);
  } finally {
    for (const q of added) dataset.delete(q as never);
  }
  // A complex sh:resultPath is a blank node of the report: read it back as ours are written.
  const reportGraph = new ShapesGraph([...(report.dataset as unknown as Iterable<Quad>)]);
  const results = report.results.map((r) => ({
    focusNode: r.focusNode as unknown as { termType: string; value: string },
    path: r.path ? pathLabel(compilePath(reportGraph, r.path as unknown as Term)) : '',
    severity: r.severity?.value.replace('http://www.w3.org/ns/shacl#', '') ?? 'Violation',
    component: r.sourceConstraintComponent?.value.replace('http://www.w3.org/ns/shacl#', '') ?? '',
    value: r.value?.value,
  }));
  // SHACL's sh:conforms is false for a warning too; Katalog's verdict (docs/design.md, Validation and profiles) counts violations only.
  return { conforms: !results.some((r) => r.severity === 'Violation'), results };
}
