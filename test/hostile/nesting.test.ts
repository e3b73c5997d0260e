/**
 * Hostile nesting: XML elements and Turtle [ ] and ( ) nested far deeper than MAX_DEPTH (413 while
 * parsing, never a stack overflow), and a cycle of 40,000 blank nodes, which is no nesting at all
 * and must be answered normally (stored only up to MAX_RECORD_TRIPLES, and then served back in every syntax).
 */
import { describe, expect, it } from 'vitest';
import { dataset, rdfxml, RDFXML, TURTLE } from './bodies.js';
import { BOUNDS, CASE_TIMEOUT, hostileCase, type Katalog, PUBLIC_BASE_URL, runCase, useKatalog } from './harness.js';
import { FORMATS, parseText } from './rdf.js';

useKatalog();

/** `[ dct:relation [ dct:relation ... ] ]`, `depth` brackets deep. */
const nestedBlankNodes = (depth: number) => `dct:relation ${'[ dct:relation '.repeat(depth - 1)}[ dct:title "bunn" ]${' ]'.repeat(depth - 1)}`;

/** `( ( ( ... ) ) )`, `depth` parentheses deep. */
const nestedCollections = (depth: number) => `dct:relation ${'( '.repeat(depth)}1${' )'.repeat(depth)}`;

/** A cycle of `n` blank nodes linked by dct:relation, the first one linked from the dataset. */
const cycle = (n: number) => Array.from({ length: n }, (_, i) => `_:b${i} dct:relation _:b${(i + 1) % n} .`).join('\n');

const withCycle = (n = 40_000) => dataset({ props: ['dct:relation _:b0'], after: cycle(n) });

/** A cycle that a stored record can hold: under MAX_RECORD_TRIPLES with the dataset's own triples. */
const STORABLE_CYCLE = BOUNDS.maxRecordTriples - 100;

/** `<ex:p rdf:parseType="Literal">` holding `depth` nested elements. */
const deepXmlLiteral = (depth: number) =>
  rdfxml(
    `<dcat:Dataset rdf:about="http://x.test/literal"><dct:description rdf:parseType="Literal">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</dct:description></dcat:Dataset>`,
  );

/** `rdf:Description` inside `dct:relation` inside `rdf:Description` ..., `depth` descriptions deep. */
const deepDescriptions = (depth: number) =>
  rdfxml(
    `<dcat:Dataset rdf:about="http://x.test/descriptions">${'<dct:relation><rdf:Description>'.repeat(depth)}${'</rdf:Description></dct:relation>'.repeat(depth)}</dcat:Dataset>`,
  );

describe('hostile nesting: deep documents and long cycles', () => {
  hostileCase(
    'refuses RDF/XML with rdf:parseType="Literal" content nested 200,000 deep (1.4 MB) with 413',
    () => ({ contentType: RDFXML, body: deepXmlLiteral(200_000) }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase('refuses RDF/XML with rdf:Description nested 20,000 deep with 413', () => ({ contentType: RDFXML, body: deepDescriptions(20_000) }), {
    status: 413,
    kind: 'payload-too-large',
  });

  hostileCase(
    'refuses Turtle [ dct:relation [ ... ] ] nested 5,000 deep on /validate with 413',
    () => ({ contentType: TURTLE, body: dataset({ props: [nestedBlankNodes(5_000)] }) }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase(
    'refuses Turtle [ dct:relation [ ... ] ] nested 5,000 deep on POST /datasets with 413',
    (k) => ({ path: '/datasets', key: k.keys.a, contentType: TURTLE, body: dataset({ props: [nestedBlankNodes(5_000)] }) }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase(
    'refuses Turtle ( ( ( ... ) ) ) nested 5,000 deep with 413',
    () => ({ contentType: TURTLE, body: dataset({ props: [nestedCollections(5_000)] }) }),
    { status: 413, kind: 'payload-too-large' },
  );

  hostileCase(
    'answers Turtle [ ] nested 60 deep (under MAX_DEPTH) normally',
    () => ({ contentType: TURTLE, body: dataset({ props: [nestedBlankNodes(60)] }) }),
    { status: [200, 422], kind: 'shacl-violation', maxBodyBytes: 1 << 20 },
  );

  hostileCase(
    'answers a dataset linked to a cycle of 40,000 blank nodes on /validate normally (200 or 422)',
    () => ({ contentType: TURTLE, body: withCycle() }),
    { status: [200, 422], kind: 'shacl-violation', maxBodyBytes: 1 << 20 },
  );

  hostileCase(
    'refuses to store a dataset linked to a cycle of 40,000 blank nodes with 413 (a stored record holds at most MAX_RECORD_TRIPLES)',
    (k) => ({ path: '/datasets', key: k.keys.a, contentType: TURTLE, body: withCycle() }),
    { status: 413, kind: 'payload-too-large', writes: true },
  );

  it(
    `stores a dataset linked to a cycle of ${STORABLE_CYCLE.toLocaleString('en')} blank nodes (201 or 422), and serves it back in every syntax`,
    async () => {
      let location: string | undefined;
      let katalog: Katalog | undefined;
      await runCase((k) => ({ path: '/datasets', key: k.keys.a, contentType: TURTLE, body: withCycle(STORABLE_CYCLE) }), {
        status: [201, 422],
        kind: 'shacl-violation',
        writes: true,
        maxBodyBytes: 1 << 20,
        check: (r, k) => {
          katalog = k;
          if (r.status === 201) location = String(r.headers.location);
        },
      });
      if (!location || !katalog) return;
      expect(location.startsWith(PUBLIC_BASE_URL)).toBe(true);
      const path = location.slice(PUBLIC_BASE_URL.length);
      for (const format of FORMATS) {
        const read = await runCase({ method: 'GET', path: `${path}?format=${format}` }, { status: 200, maxBodyBytes: 64 * 2 ** 20, on: katalog });
        if (read.status !== 200) continue;
        const quads = await parseText(read.text, format, katalog.base);
        const relations = quads.filter((q) => q.predicate.value === 'http://purl.org/dc/terms/relation').length;
        expect(relations, `dct:relation triples read back from ?format=${format}`).toBeGreaterThanOrEqual(STORABLE_CYCLE);
      }
    },
    CASE_TIMEOUT,
  );
});
