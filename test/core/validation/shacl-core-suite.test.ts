/**
 * The W3C SHACL Core test suite (test/fixtures/shacl-core) and its rule for full compliance
 * (test/helpers/shacl-suite.ts). Here it is run with rdf-validate-shacl, which passes every case on
 * this machine: this proves the suite's reading and the report comparison, so that Katalog's own
 * engine can be held to the same cases (issue: validation that agrees with SHACL).
 */
import type { Quad } from '@rdfjs/types';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';
import { describe, expect, it } from 'vitest';
import { reportGraph, sameReport, suiteCases } from '../../helpers/shacl-suite.js';

const SH_REPORT = 'http://www.w3.org/ns/shacl#ValidationReport';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/** rdf-validate-shacl's report on the case, as the suite's subgraph; 'failure' when it refuses the shapes. */
async function oracleReport(data: Quad[], shapes: Quad[]): Promise<Quad[] | 'failure'> {
  let quads: Quad[];
  try {
    const validator = new SHACLValidator(rdf.dataset(shapes as never) as never, { factory: rdf as never });
    const report = await validator.validate(rdf.dataset(data as never) as never);
    quads = [...(report.dataset as unknown as Iterable<Quad>)];
  } catch {
    return 'failure';
  }
  const root = quads.find((q) => q.predicate.value === RDF_TYPE && q.object.value === SH_REPORT)!.subject;
  return reportGraph(quads, root);
}

const cases = suiteCases();

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
    const produced = await oracleReport(c.data, c.shapes);
    if (c.expected === 'failure') return expect(produced).toBe('failure');
    expect(produced, `${c.label}: rdf-validate-shacl refused the shapes`).not.toBe('failure');
    expect(sameReport(c.expected, produced as Quad[]), `${c.label}\nexpected:\n${c.expected.map(String).join('\n')}`).toBe(true);
  });
});
