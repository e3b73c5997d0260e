import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOfFileName, type Format } from '../../src/core/media-types.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const EXAMPLES = join(FIXTURES, 'examples');

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
