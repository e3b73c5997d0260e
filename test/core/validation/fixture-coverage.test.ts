/**
 * The validation fixtures cover each profile class by class, not only record kind by record kind:
 * for every class a profile's shapes target, a fixture with a node of that class that has no
 * violation, and a fixture with a violation on a node of that class; targeted nodes that no record
 * reaches; and documents in each of the six syntaxes. What a fixture covers is read from its data
 * and its expected results (expected.json, which fixtures.test.ts holds the engine to).
 */
import type { Quad } from '@rdfjs/types';
import { describe, expect, it } from 'vitest';
import { RDF_TYPE } from '../../../src/core/namespaces.js';
import { nodeLabel } from '../../../src/core/rdf-terms.js';
import { splitIntoRecords } from '../../../src/core/records.js';
import { formatOfFileName } from '../../../src/core/media-types.js';
import { readGraph, resources, validationFixtures } from '../../helpers/validation.js';

const SYNTAXES = ['turtle', 'jsonld', 'ntriples', 'rdfxml', 'nquads', 'trig'];

const label = (name: string) => (name.startsWith('_:') ? '_:blank' : name);

interface Coverage {
  valid: Set<string>;
  invalid: Set<string>;
  unattached: string[];
  syntaxes: Set<string>;
}

async function coverage(profile: string): Promise<Coverage> {
  const cover: Coverage = { valid: new Set(), invalid: new Set(), unattached: [], syntaxes: new Set() };
  for (const fixture of validationFixtures().filter((f) => f.profile === profile)) {
    cover.syntaxes.add(formatOfFileName(fixture.name)!.id);
    const quads: Quad[] = await readGraph(fixture.path);
    const violating = new Set(fixture.expected.results.filter((r) => r.severity === 'Violation').map((r) => label(r.focusNode)));
    const typesOf = new Map<string, Set<string>>();
    for (const q of quads) {
      if (q.predicate.value !== RDF_TYPE) continue;
      const key = q.subject.termType === 'BlankNode' ? '_:blank' : q.subject.value;
      typesOf.set(key, (typesOf.get(key) ?? new Set()).add(q.object.value));
    }
    for (const [node, types] of typesOf) for (const t of types) (violating.has(node) ? cover.invalid : cover.valid).add(t);
    const { remainder } = splitIntoRecords(quads);
    const targeted = resources().profiles.get(profile)!.compiled.byClass;
    const loose = remainder.filter((q) => q.predicate.value === RDF_TYPE && targeted.has(q.object.value));
    if (loose.length > 0) cover.unattached.push(`${fixture.name}: ${loose.map((q) => label(nodeLabel(q.subject))).join(', ')}`);
  }
  return cover;
}

describe('validation fixtures cover every class each profile targets', () => {
  for (const profile of resources().profiles.all()) {
    const id = profile.info.id;
    const classes = [...profile.compiled.byClass.keys()].sort();

    it(`${id}: a node of each targeted class without violations, and one with a violation`, async () => {
      const cover = await coverage(id);
      expect(classes.filter((c) => !cover.valid.has(c)), 'classes with no conforming node in any fixture').toEqual([]);
      expect(classes.filter((c) => !cover.invalid.has(c)), 'classes with no violating node in any fixture').toEqual([]);
    });

    it(`${id}: targeted nodes that no record reaches, and documents in all six syntaxes`, async () => {
      const cover = await coverage(id);
      expect(cover.unattached.length, 'fixtures with a targeted node outside every record').toBeGreaterThan(0);
      expect([...cover.syntaxes].sort()).toEqual([...SYNTAXES].sort());
    });
  }
});
