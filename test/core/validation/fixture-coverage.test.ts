/**
 * The validation fixtures cover each profile class by class, not only record kind by record kind:
 * for every class a profile's shapes target, a fixture with a node of that class that has no
 * violation, and (where the profile can give a Violation on that class at all) a fixture with a
 * violation on a node of that class; targeted nodes that no record reaches; and documents in each
 * of the six syntaxes. Which nodes violate is the engine's answer on the fixture, which
 * fixtures.test.ts holds to expected.json and to rdf-validate-shacl.
 */
import type { Quad } from '@rdfjs/types';
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../../src/core/validation/engine.js';
import type { Shape } from '../../../src/core/validation/shapes.js';
import { RDF_TYPE } from '../../../src/core/namespaces.js';
import { termKey } from '../../../src/core/rdf-terms.js';
import { splitIntoRecords } from '../../../src/core/records.js';
import { formatOfFileName } from '../../../src/core/media-types.js';
import { readGraph, resources, validationFixtures } from '../../helpers/validation.js';

const SYNTAXES = ['turtle', 'jsonld', 'ntriples', 'rdfxml', 'nquads', 'trig'];

interface Coverage {
  valid: Set<string>;
  invalid: Set<string>;
  unattached: string[];
  syntaxes: Set<string>;
}

async function coverage(profileId: string): Promise<Coverage> {
  const profile = resources().profiles.get(profileId)!;
  const cover: Coverage = { valid: new Set(), invalid: new Set(), unattached: [], syntaxes: new Set() };
  for (const fixture of validationFixtures().filter((f) => f.profile === profileId)) {
    cover.syntaxes.add(formatOfFileName(fixture.name)!.id);
    const quads: Quad[] = await readGraph(fixture.path);
    const violating = new Set(
      validateGraph(quads, profile.compiled, resources().vocabularies)
        .results.filter((r) => r.severity === 'Violation')
        .map((r) => termKey(r.focusNode)),
    );
    for (const q of quads) if (q.predicate.value === RDF_TYPE) (violating.has(termKey(q.subject)) ? cover.invalid : cover.valid).add(q.object.value);
    const { remainder } = splitIntoRecords(quads);
    const loose = remainder.filter((q) => q.predicate.value === RDF_TYPE && profile.compiled.byClass.has(q.object.value));
    if (loose.length > 0) cover.unattached.push(fixture.name);
  }
  return cover;
}

/** Whether validating a node against `shape` can give a Violation (a constraint of its own, or of a property shape it holds). */
function canViolate(shape: Shape, seen = new Set<Shape>()): boolean {
  if (seen.has(shape) || shape.deactivated) return false;
  seen.add(shape);
  return shape.constraints.some((c) =>
    c.component === 'PropertyConstraintComponent' ? (c.shapes ?? []).some((s) => canViolate(s, seen)) : shape.severity === 'Violation',
  );
}

describe('validation fixtures cover every class each profile targets', () => {
  for (const profile of resources().profiles.all()) {
    const id = profile.info.id;
    const classes = [...profile.compiled.byClass.keys()].sort();

    it(`${id}: a node of each targeted class without violations, and one with a violation where the profile has one for it`, async () => {
      const cover = await coverage(id);
      expect(
        classes.filter((c) => !cover.valid.has(c)),
        'classes with no conforming node in any fixture',
      ).toEqual([]);
      const violable = classes.filter((c) => profile.compiled.byClass.get(c)!.some((shape) => canViolate(shape)));
      expect(violable.length, 'classes the profile can refuse').toBeGreaterThan(classes.length / 2);
      expect(
        violable.filter((c) => !cover.invalid.has(c)),
        'classes with no violating node in any fixture',
      ).toEqual([]);
    });

    it(`${id}: targeted nodes that no record reaches, and documents in all six syntaxes`, async () => {
      const cover = await coverage(id);
      expect(cover.unattached.length, 'fixtures with a targeted node outside every record').toBeGreaterThan(0);
      expect([...cover.syntaxes].sort()).toEqual([...SYNTAXES].sort());
    });
  }
});
