/**
 * Hostile counts: many records in one document, many values of one property, many results in one
 * report. Each is bounded while parsing (413), or answered normally and quickly with a report of at
 * most MAX_REPORT_RESULTS results.
 */
import { Parser } from 'n3';
import { describe, expect } from 'vitest';
import { bareDatasets, dataset, NS, TURTLE, TURTLE_PREFIXES, values } from './bodies.js';
import { BOUNDS, hostileCase, type Reply, useKatalog } from './harness.js';

useKatalog();

/** Results listed in a JSON report, across its records. */
function listedResults(report: { records: Array<{ results: unknown[] }> }): number {
  return report.records.reduce((n, r) => n + r.results.length, 0);
}

/** A JSON report lists at most MAX_REPORT_RESULTS results, says how many it left out, and counts every one. */
function expectTruncatedJsonReport(r: Reply) {
  const report = r.json();
  const listed = listedResults(report);
  expect(listed).toBeLessThanOrEqual(BOUNDS.maxReportResults);
  expect(report.truncated, 'the report says how many results it left out').toBeGreaterThan(0);
  const { violations, warnings, info } = report.counts;
  expect(listed + report.truncated, 'counts stay complete').toBe(violations + warnings + info);
}

/** An RDF report (Turtle) parsed back with n3 holds at most MAX_REPORT_RESULTS sh:result. */
function expectBoundedTurtleReport(r: Reply) {
  const quads = new Parser({ format: 'Turtle' }).parse(r.text);
  const results = quads.filter((q) => q.predicate.value === NS.sh + 'result').length;
  expect(results).toBeGreaterThan(0);
  expect(results).toBeLessThanOrEqual(BOUNDS.maxReportResults);
}

describe('hostile counts: records, values and results', () => {
  hostileCase(
    'refuses 25,000 records in one document (1.1 MB of Turtle) with 413',
    () => ({ contentType: TURTLE, accept: TURTLE, body: bareDatasets(25_000) }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase(
    'refuses 25,000 distributions that no record reaches (targeted nodes count as records) with 413',
    () => ({
      contentType: TURTLE,
      body: `${TURTLE_PREFIXES}\n${Array.from({ length: 25_000 }, (_, i) => `<http://x.test/dist/${i}> a dcat:Distribution .`).join('\n')}\n`,
    }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase(
    'answers 4,000 distributions that no record reaches with 422 and a bounded JSON report',
    () => ({
      contentType: TURTLE,
      body: `${TURTLE_PREFIXES}\n${Array.from({ length: 4_000 }, (_, i) => `<http://x.test/dist/${i}> a dcat:Distribution .`).join('\n')}\n`,
    }),
    { status: 422, kind: 'shacl-violation', maxBodyBytes: 4 * 2 ** 20 },
  );

  hostileCase(
    'answers 4,000 records without titles with 422 and a JSON report of at most 1,000 results that says how many it left out',
    () => ({ contentType: TURTLE, body: bareDatasets(4_000) }),
    { status: 422, kind: 'shacl-violation', maxBodyBytes: 4 * 2 ** 20, check: expectTruncatedJsonReport },
  );

  hostileCase(
    'answers 4,000 records without titles with 422 and a Turtle report of at most 1,000 sh:result',
    () => ({ contentType: TURTLE, accept: TURTLE, body: bareDatasets(4_000) }),
    { status: 422, contentType: TURTLE, maxBodyBytes: 4 * 2 ** 20, check: expectBoundedTurtleReport },
  );

  hostileCase(
    'answers 2,000 dct:language values outside the vocabulary on one dataset with a normal 422, quickly',
    () => ({
      contentType: TURTLE,
      body: dataset({
        subject: '<https://data.x.test/datasets/languages>',
        props: [values('dct:language', 2_000, (i) => `lang:N${String(i).padStart(4, '0')}B`)],
      }),
    }),
    {
      status: 422,
      kind: 'shacl-violation',
      maxBodyBytes: 2 * 2 ** 20,
      check: (r) => {
        expectTruncatedJsonReport(r);
        const report = r.json();
        expect(report.counts.violations).toBeGreaterThanOrEqual(2_000);
      },
    },
  );

  hostileCase(
    'refuses 49,000 dcat:keyword literals on one dataset with 413 (values per property)',
    () => ({ contentType: TURTLE, body: dataset({ props: [values('dcat:keyword', 49_000, (i) => `"k${i}"`)] }) }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase(
    'answers 9,000 dcat:keyword literals on one dataset normally, in under 2 s',
    () => ({ contentType: TURTLE, body: dataset({ props: [values('dcat:keyword', 9_000, (i) => `"k${i}"@nb`)] }) }),
    { status: [200, 422], kind: 'shacl-violation', maxBodyBytes: 2 * 2 ** 20 },
  );
});
