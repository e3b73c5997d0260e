import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../../src/core/validation/engine.js';
import { parseableExamples } from '../../helpers/fixtures.js';
import { membershipTriples, oracle, readGraph, resources, resultKeys, validationFixtures } from '../../helpers/validation.js';

const fixtures = validationFixtures();

describe('validation fixtures: one file per rule family', () => {
  it('has fixtures for every profile', () => {
    const profiles = new Set(fixtures.map((f) => f.profile));
    for (const p of resources().profiles.all()) expect(profiles.has(p.info.id), p.info.id).toBe(true);
  });

  for (const fixture of fixtures) {
    it(`${fixture.profile}: ${fixture.name} gives exactly the expected results, in nb and en`, async () => {
      expect(fixture.expected, `no entry for ${fixture.name} in expected.json`).toBeDefined();
      const profile = resources().profiles.get(fixture.profile)!;
      const report = validateGraph(await readGraph(fixture.path), profile.compiled, resources().vocabularies);
      expect(report.conforms).toBe(fixture.expected.conforms);
      expect(resultKeys(report.results)).toEqual(resultKeys(fixture.expected.results));
      for (const r of report.results) {
        expect(r.messages.nb.length, 'nb message').toBeGreaterThan(10);
        expect(r.messages.en.length, 'en message').toBeGreaterThan(10);
        expect(r.messages.nb).not.toBe(r.messages.en);
      }
    });
  }
});

describe('the engine agrees with rdf-validate-shacl on our own shapes', () => {
  for (const fixture of fixtures) {
    it(`${fixture.profile}: ${fixture.name}`, async () => {
      const profile = resources().profiles.get(fixture.profile)!;
      const data = await readGraph(fixture.path);
      const ours = validateGraph(data, profile.compiled, resources().vocabularies);
      const theirs = await oracle(profile.shapes, data, membershipTriples());
      expect(ours.conforms).toBe(theirs.conforms);
      const keys = (rs: Array<{ focusNode: { termType: string; value: string }; path: string; severity: string; component: string }>) =>
        resultKeys(rs.map((r) => ({ ...r, severity: `${r.severity}|${r.component}` }))).sort();
      expect(keys(ours.results)).toEqual(keys(theirs.results));
    });
  }
});

describe('the engine agrees with rdf-validate-shacl on every reference example, whole document, every profile', () => {
  const keys = (rs: Array<{ focusNode: { termType: string; value: string }; path: string; severity: string; component: string; value?: unknown }>) =>
    rs
      .map(
        (r) =>
          `${r.focusNode.termType === 'BlankNode' ? '_:blank' : r.focusNode.value}|${r.path}|${r.severity}|${r.component}|${typeof r.value === 'string' ? r.value : ((r.value as { value?: string } | undefined)?.value ?? '')}`,
      )
      .sort();
  for (const example of parseableExamples()) {
    for (const profile of resources().profiles.all()) {
      it(`${profile.info.id} × ${example.name}`, async () => {
        const data = await readGraph(example.path);
        const ours = validateGraph(data, profile.compiled, resources().vocabularies);
        const theirs = await oracle(profile.shapes, data, membershipTriples());
        expect(ours.conforms).toBe(theirs.conforms);
        expect(keys(ours.results)).toEqual(keys(theirs.results));
      });
    }
  }
});
