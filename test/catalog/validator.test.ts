/**
 * validateDocument validates every node a profile targets, as SHACL does: records each on their own
 * graph, and the targeted nodes no record reaches in a group of their own; a document in which
 * nothing is targeted conforms with one Info result.
 */
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/catalog/validator.js';
import { textReport } from '../../src/cli/validate.js';
import { parseRdf } from '../../src/core/parse.js';
import { NO_FOCUS_NODE } from '../../src/core/validation/report.js';
import { resources } from '../helpers/validation.js';

const P = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix cv: <http://data.europa.eu/m8g/> .
`;
const read = (text: string) => parseRdf(P + text, 'turtle', { baseIRI: 'http://x.test/' });

describe('validateDocument: every targeted node', () => {
  it('validates a distribution and an agent that no record reaches, each in its own group', async () => {
    const report = validateDocument(
      await read(`<http://x.test/dist> a dcat:Distribution ; dct:title "Fil"@nb .
        <http://x.test/agent> a foaf:Agent .`),
      resources(),
    );
    expect(report.records).toEqual([]);
    expect(report.unattached.map((n) => [n.node, n.profile]).sort()).toEqual([
      ['http://x.test/agent', 'dcat-ap-no'],
      ['http://x.test/dist', 'dcat-ap-no'],
    ]);
    const dist = report.unattached.find((n) => n.node === 'http://x.test/dist')!;
    expect(dist.conforms).toBe(false);
    expect(dist.results.every((r) => r.focusNode.value === 'http://x.test/dist')).toBe(true);
    expect(dist.results.map((r) => r.path)).toContain('http://www.w3.org/ns/dcat#accessURL');
    expect(report.conforms).toBe(false);
    expect(report.counts.violations).toBe(report.unattached.flatMap((n) => n.results).filter((r) => r.severity === 'Violation').length);
    expect(textReport('f.ttl', report, 'en')).toMatch(
      /<http:\/\/x\.test\/dist> \(dcat:Distribution, dcat-ap-no, not part of any record\): [1-9]\d* violations/,
    );
  });

  it('validates a stray node with the profile asked for, and with the service profile when its type is a service class', async () => {
    const text = `<http://x.test/channel> a cv:Channel .`;
    const byDefault = validateDocument(await read(text), resources());
    // dcat-ap-no does not target cv:Channel; cpsv-ap-no does.
    expect(byDefault.unattached.map((n) => [n.node, n.profile])).toEqual([['http://x.test/channel', 'cpsv-ap-no']]);
    const chosen = validateDocument(await read(`<http://x.test/dist> a dcat:Distribution .`), resources(), 'dcat-ap');
    expect(chosen.unattached.map((n) => n.profile)).toEqual(['dcat-ap']);
  });

  it('keeps a record and its own distribution together, and lists only the distribution no record reaches', async () => {
    const report = validateDocument(
      await read(`<http://x.test/d> a dcat:Dataset ; dct:title "T"@nb ; dcat:distribution <http://x.test/mine> .
        <http://x.test/mine> a dcat:Distribution ; dcat:accessURL <https://x.test/a.csv> .
        <http://x.test/stray> a dcat:Distribution ; dcat:accessURL <https://x.test/b.csv> .`),
      resources(),
    );
    expect(report.records.map((r) => r.record)).toEqual(['http://x.test/d']);
    expect(report.unattached.map((n) => n.node)).toEqual(['http://x.test/stray']);
    expect(report.unattached[0]!.conforms).toBe(true);
  });

  it('conforms with one Info result when nothing in the document is targeted', async () => {
    const report = validateDocument(await read(`<http://x.test/a> dct:title "x" .`), resources());
    expect(report.conforms).toBe(true);
    expect(report.counts).toEqual({ violations: 0, warnings: 0, info: 1 });
    expect(report.unattached).toHaveLength(1);
    expect(report.unattached[0]!.results).toEqual([expect.objectContaining({ severity: 'Info', component: NO_FOCUS_NODE })]);
    expect(report.unattached[0]!.results[0]!.messages.en).toMatch(/No node in the document has a class that profile dcat-ap-no validates/);
  });

  it('counts targeted nodes outside records towards MAX_RECORDS (413)', async () => {
    const strays = Array.from({ length: 30 }, (_, i) => `<http://x.test/dist/${i}> a dcat:Distribution .`).join('\n');
    const quads = await read(strays);
    expect(() => validateDocument(quads, resources(), undefined, { maxRecords: 20 })).toThrow(expect.objectContaining({ code: 'payload-too-large' }));
    expect(validateDocument(quads, resources(), undefined, { maxRecords: 30 }).unattached).toHaveLength(30);
  });

  it('still refuses a profile that covers none of the records when nothing else is targeted', async () => {
    expect(() => validateDocument([], resources())).toThrow(expect.objectContaining({ code: 'invalid-request' }));
  });
});
