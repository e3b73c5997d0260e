import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOfFileName, type Format } from '../../src/core/media-types.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const EXAMPLES = join(FIXTURES, 'examples');

/** One record of every kind in test/fixtures/http/catalog.ttl, by the path it is served at. */
export const HTTP_RECORD_URLS = [
  '/catalogs/brreg',
  '/datasets/enhetsregisteret',
  '/dataset-series/arsregnskap',
  '/data-services/enhetsregisteret-api',
  '/services/registrere-foretak',
  '/events/starte-bedrift',
];

export interface Example {
  name: string;
  path: string;
  text: string;
  format: Format;
}

/** Every example file copied from shared/reference (test/fixtures/examples/PROVENANCE.md). */
export function examples(filter: (name: string) => boolean = () => true): Example[] {
  return readdirSync(EXAMPLES)
    .filter((name) => formatOfFileName(name) && !name.endsWith('.md') && filter(name))
    .sort()
    .map((name) => ({ name, path: join(EXAMPLES, name), text: readFileSync(join(EXAMPLES, name), 'utf8'), format: formatOfFileName(name)! }));
}

export const parseableExamples = () => examples((n) => !n.startsWith('unparseable-'));
export const unparseableExamples = () => examples((n) => n.startsWith('unparseable-'));
