/**
 * The W3C SHACL Core test suite (test/fixtures/shacl-core) and its rule for full compliance
 * (test/helpers/shacl-suite.ts), run twice: with rdf-validate-shacl, which proves the suite's reading
 * and the report comparison, and with Katalog's own engine through the path of
 * `katalog validate --shapes` (validateWithShapes, the standard sh:ValidationReport): all 98 cases
 * must pass in full, with no fallback to another engine.
 */
import type { Quad } from '@rdfjs/types';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';
import { describe, expect, it } from 'vitest';
import { documentResults, shaclConforms, validateWithShapes } from '../../../src/catalog/validator.js';
import { reportQuads } from '../../../src/core/validation/report.js';
import { compileShapes, ShapeError } from '../../../src/core/validation/shapes.js';
import { VocabularyIndex } from '../../../src/core/vocabularies.js';
import { reportGraph, sameReport, type SuiteCase, suiteCases } from '../../helpers/shacl-suite.js';

const SH_REPORT = 'http://www.w3.org/ns/shacl#ValidationReport';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const reportOf = (quads: Quad[]) => reportGraph(quads, quads.find((q) => q.predicate.value === RDF_TYPE && q.object.value === SH_REPORT)!.subject);

/** rdf-validate-shacl's report on the case, as the suite's subgraph; 'failure' when it refuses the shapes. */
async function oracleReport(data: Quad[], shapes: Quad[]): Promise<Quad[] | 'failure'> {
  try {
    const validator = new SHACLValidator(rdf.dataset(shapes as never) as never, { factory: rdf as never });
    const report = await validator.validate(rdf.dataset(data as never) as never);
    return reportOf([...(report.dataset as unknown as Iterable<Quad>)]);
  } catch {
    return 'failure';
  }
}

/** Katalog's report on the case, as `katalog validate --shapes --format ttl` builds it; 'failure' when the shapes are refused. */
function katalogReport(data: Quad[], shapes: Quad[]): Quad[] | 'failure' {
  let compiled;
  try {
    compiled = compileShapes(shapes);
  } catch (error) {
    if (error instanceof ShapeError) return 'failure';
    throw error;
  }
  const report = validateWithShapes(data, { name: 'suite', compiled }, new VocabularyIndex([]));
  return reportOf(reportQuads(shaclConforms(report), documentResults(report)));
}

const cases = suiteCases();
const expectPass = (c: SuiteCase, produced: Quad[] | 'failure', engine: string) => {
  if (c.expected === 'failure') return expect(produced).toBe('failure');
  expect(produced, `${c.label}: ${engine} refused the shapes`).not.toBe('failure');
  expect(
    sameReport(c.expected, produced as Quad[]),
    `${c.label}\nexpected:\n${c.expected.map(String).join('\n')}\nproduced:\n${(produced as Quad[]).map(String).join('\n')}`,
  ).toBe(true);
};

describe('the W3C SHACL Core test suite', () => {
  it('has the 98 approved cases of the Core part, each with its data, shapes and expected result', () => {
    expect(cases).toHaveLength(98);
    expect(new Set(cases.map((c) => c.status))).toEqual(new Set(['approved']));
    for (const c of cases) {
      expect(c.data.length, c.name).toBeGreaterThan(0);
      expect(c.shapes.length, c.name).toBeGreaterThan(0);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: rdf-validate-shacl passes in full', async (_name, c) => {
    expectPass(c, await oracleReport(c.data, c.shapes), 'rdf-validate-shacl');
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: Katalog passes in full', (_name, c) => {
    expectPass(c, katalogReport(c.data, c.shapes), 'Katalog');
  });

  it('would fail a case whose report differs (the comparison is not vacuous)', () => {
    const c = cases.find((x) => x.name === 'property/minCount-001')!;
    const produced = katalogReport(c.data, c.shapes) as Quad[];
    expect(sameReport(c.expected as Quad[], produced.slice(0, -1))).toBe(false);
  });
});
