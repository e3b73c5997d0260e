/**
 * Hostile sizes: bodies at and over BODY_LIMIT, IRIs over MAX_IRI_LENGTH, a collection of a million
 * members. Each is refused with 413 while parsing, quickly, with memory bounded and an answer that
 * quotes none of it back; an IRI just under the bound is answered normally.
 */
import { describe, expect } from 'vitest';
import { dataset, NS, rdfxml, RDFXML, TURTLE, TURTLE_PREFIXES } from './bodies.js';
import { BOUNDS, detailOf, hostileCase, useKatalog } from './harness.js';

useKatalog();

/** `<http://x.test/d> a dcat:Dataset ; dct:relation ( 1 2 3 ... ) .` of about `bytes` bytes. */
function turtleCollection(bytes: number): string {
  const head = `${TURTLE_PREFIXES}\n<http://x.test/d> a dcat:Dataset ; dct:relation (`;
  const tail = ' ) .\n';
  const items: string[] = [];
  let length = head.length + tail.length;
  for (let i = 1; ; i++) {
    const item = ` ${i}`;
    if (length + item.length > bytes) break;
    items.push(item);
    length += item.length;
  }
  return head + items.join('') + tail;
}

const languageIri = (segmentLength: number) => `${NS.lang}${'N'.repeat(segmentLength)}`;

describe('hostile sizes: bodies, IRIs and collections', () => {
  hostileCase(
    'refuses a dct:language IRI with a 100,000-character last segment with 413',
    () => ({ contentType: TURTLE, body: dataset({ props: [`dct:language <${languageIri(100_000)}>`] }) }),
    {
      status: 413,
      kind: 'payload-too-large',
      maxBodyBytes: 4096,
      check: (r) => expect(detailOf(r)).toMatch(/IRI/),
    },
  );

  hostileCase(
    'answers a dct:language IRI with a 4,000-character last segment with a normal 422, quickly',
    () => ({ contentType: TURTLE, body: dataset({ props: [`dct:language <${languageIri(4_000)}>`] }) }),
    { status: 422, kind: 'shacl-violation', maxMs: 1_000 },
  );

  hostileCase(
    'refuses a 10 MB Turtle collection ( 1 2 3 ... ) with 413, quickly and with memory bounded',
    () => ({ contentType: TURTLE, body: turtleCollection(10_000_000) }),
    { status: 413, kind: 'payload-too-large', maxMemoryMb: 200 },
  );

  hostileCase('refuses an 11 MB body with 413', () => ({ contentType: TURTLE, body: dataset() + `# ${'x'.repeat(11 * 2 ** 20)}\n` }), {
    status: 413,
    kind: 'payload-too-large',
  });

  hostileCase(
    'refuses a 9 MB IRI in RDF/XML with 413 and a small answer',
    () => ({
      contentType: RDFXML,
      body: rdfxml(`<dcat:Dataset rdf:about="http://x.test/${'a'.repeat(9_000_000)}"><dct:title>x</dct:title></dcat:Dataset>`),
    }),
    {
      status: 413,
      kind: 'payload-too-large',
      maxBodyBytes: 4096,
      check: (r) => expect(r.body.length).toBeLessThan(BOUNDS.maxIriLength),
    },
  );
});
