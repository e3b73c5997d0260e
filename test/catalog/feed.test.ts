import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser, Writer } from 'n3';
import { describe, expect, it } from 'vitest';
import { loadDirectory } from '../../src/catalog/data-loader.js';
import { documentQuads, type FeedDocument, type FeedScope, writeFeed } from '../../src/catalog/feed.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { formatById } from '../../src/core/media-types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Change } from '../../src/store/store.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { TEST_BASE, TEST_CONTEXT_URL } from '../helpers/graphs.js';

const scope: FeedScope = { stream: `${TEST_BASE}/feed`, pages: `${TEST_BASE}/feed/pages/`, suffix: '', query: {}, activities: `${TEST_BASE}/feed/activities/` };

/** The quads of an N-Quads text, each as its canonical line (blank node labels as written). */
const lines = (text: string) =>
  new Set(new Writer({ format: 'N-Quads' }).quadsToString(new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(text)).split('\n'));

function change(seq: number, nt: string, op: Change['op'] = 'update'): Change {
  return { seq, op, iri: 'http://x.test/a', kind: 'dataset', id: 'a', at: '2026-12-04T10:00:00.000Z', version: `${seq}-x`, nt, ttl: '', jsonld: '' };
}

describe('a feed page in N-Quads, written straight from stored N-Triples', () => {
  it("says exactly what n3's writer says of the same quads, for every record of the fixture", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'katalog-feed-'));
    const store = new SqliteStore(join(dir, 'katalog.db'));
    try {
      await loadDirectory(store, join(FIXTURES, 'http'), { baseUrl: TEST_BASE, knownContexts: { [TEST_CONTEXT_URL]: CONTEXT_DOCUMENT } });
      const changes = await store.changes(0, 1000, { only: 'nt' });
      expect(changes.some((c) => c.nt.includes('_:'))).toBe(true);
      const document: FeedDocument = { scope, head: [], changes };
      const oracle = new Writer({ format: 'N-Quads' }).quadsToString(documentQuads(document));
      expect(lines(await writeFeed(document, formatById('nquads')))).toEqual(lines(oracle));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('relabels blank nodes as subject and object, and leaves literals that look like them alone', async () => {
    const nt = [
      '<http://x.test/a> <http://x.test/p> _:b0 .',
      '_:b0 <http://x.test/q> "ends in _:b0" .',
      '_:b0 <http://x.test/q> "x _:y"@en .',
      '<http://x.test/a> <http://x.test/r> "a> _:z ." .',
      '<http://x.test/a> <http://x.test/s> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
      '',
    ].join('\n');
    const document: FeedDocument = { scope, head: [], changes: [change(7, nt), change(8, '', 'delete')] };
    const written = await writeFeed(document, formatById('nquads'));
    expect(lines(written)).toEqual(lines(new Writer({ format: 'N-Quads' }).quadsToString(documentQuads(document))));
    expect(written).toContain('"ends in _:b0"');
    expect(written).toContain('_:c7_b0 <http://x.test/q>');
  });
});
