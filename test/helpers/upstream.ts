import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import { FIXTURES } from './fixtures.js';

/**
 * Where the official upstream shapes are: byte-for-byte copies in test/fixtures/upstream, under the same
 * relative paths as in their source (test/fixtures/upstream/PROVENANCE.md), so that every clone runs the
 * upstream-parity tests.
 */
export const UPSTREAM = join(FIXTURES, 'upstream');

/** The official shape files each of our profiles answers to, under UPSTREAM (its PROVENANCE.md lists them). */
export const UPSTREAM_SHAPES: Record<string, string[]> = {
  'dcat-ap-no': ['shapes/dcat-ap-no-2.2/shacl/DCAT-AP-NO-shacl_shapes_2.00.ttl'],
  'dcat-ap-no-3': [
    'shapes/dcat-ap-no-3/shacl/dcatapno3-core-shapes.ttl',
    'shapes/dcat-ap-no-3/shacl/dcatapno3-range-shapes.ttl',
    'shapes/dcat-ap-no-3/shacl/dcatapno3-vocabulary-shapes.ttl',
  ],
  'dcat-ap': ['shapes/dcat-ap-3.0.1/shacl/dcat-ap-SHACL.ttl'],
  'cpsv-ap-no': ['shapes/cpsv-ap-no-1.1/shacl/CPSV-AP-NO_shacl_shapes_v1.ttl'],
  'cpsv-ap': ['shapes/cpsv-ap-3.2.0/shacl/cpsv-ap-SHACL.ttl'],
};

const cache = new Map<string, Quad[]>();
export function upstreamShapes(profile: string): Quad[] {
  let quads = cache.get(profile);
  if (!quads) {
    quads = UPSTREAM_SHAPES[profile]!.flatMap((f) => new Parser({ format: 'Turtle' }).parse(readFileSync(join(UPSTREAM, f), 'utf8')) as Quad[]);
    cache.set(profile, quads);
  }
  return quads;
}
