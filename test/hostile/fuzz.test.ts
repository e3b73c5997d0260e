/**
 * A property-based pass over the parsers' inputs (fast-check), run for a bounded time per property
 * (FUZZ_TIME_MS, default 4,000 ms; fast-check prints the seed and the shrunk input of a failure, and
 * FUZZ_SEED replays one):
 *
 * - random graphs (IRIs with non-ASCII letters, blank nodes, literals holding any code point, control
 *   characters and XML's troublemakers included, language tags, datatypes), written by the libraries
 *   (n3's Writer, jsonld.js) in Turtle, N-Triples and JSON-LD and sent to POST /validate: always a
 *   report (200 or 422) or a problem+json 4xx, never a 5xx;
 * - random datasets written with POST /datasets: 201, or 422 (its profile, or a value a served syntax
 *   cannot carry); a stored one reads back in every syntax as the same graph that was sent;
 * - real documents in Turtle, JSON-LD and RDF/XML, mutated (characters inserted, removed, replaced,
 *   the document cut short): a report or a problem+json 4xx, and a syntax error says where (line
 *   and column) in Turtle and RDF/XML.
 *
 * The server runs in this process (inject, bodies worked on in this thread): the properties are
 * about what the code answers, not about time; the other files of this folder measure that.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import fc from 'fast-check';
import jsonld from 'jsonld';
import { DataFactory, Writer } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import type { FormatId } from '../../src/core/media-types.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, sameGraph, TEST_BASE } from '../helpers/graphs.js';

const { namedNode, blankNode, literal, quad } = DataFactory;

const FUZZ_TIME_MS = Number(process.env.FUZZ_TIME_MS ?? 4_000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const ORG = '991825827';
const PUBLISHER = `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${ORG}`;
const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
};
const MEDIA_TYPES: Record<string, string> = {
  turtle: 'text/turtle',
  ntriples: 'application/n-triples',
  jsonld: 'application/ld+json',
  rdfxml: 'application/rdf+xml',
};

// ---------------------------------------------------------------------------------------------
// Generators

/** Code points that break writers and parsers most often, mixed into otherwise arbitrary text. */
const TROUBLE = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u001f',
  '\u007f',
  '"',
  "'",
  '\\',
  '<',
  '>',
  '&',
  ']]>',
  '"""',
  '\u2028',
  '\ufffe',
  '\uffff',
  '\u{1f600}',
  'æøå',
  '\u0301',
];
const codePoint = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c)) },
  { weight: 2, arbitrary: fc.constantFrom(...TROUBLE) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })).map((c) => String.fromCodePoint(c)) },
);
const text = (maxLength: number) => fc.array(codePoint, { maxLength }).map((parts) => parts.join(''));

const iriSegment = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-._~æøåÆØÅé'.split(''), '%20', '%C3%A6'), { minLength: 1, maxLength: 12 })
  .map((c) => c.join(''));
const iri = fc.oneof(
  iriSegment.map((s) => `http://x.test/${s}`),
  fc.tuple(iriSegment, iriSegment).map(([a, b]) => `https://data.x.test/${a}/${b}?q=${b}#${a}`),
  fc.constantFrom('urn:x:1', 'http://x.test/', 'tag:x.test,2026:a'),
);
const predicate = fc.constantFrom(
  ...['title', 'description', 'identifier', 'relation', 'subject', 'language', 'issued', 'conformsTo'].map((p) => NS.dct + p),
  ...['keyword', 'theme', 'landingPage', 'distribution', 'accessURL'].map((p) => NS.dcat + p),
  NS.rdf + 'type',
  NS.foaf + 'name',
  'http://x.test/vocabulary#p',
);
const language = fc.constantFrom('nb', 'nn', 'en', 'en-GB', 'se', 'x-private', 'de-CH-1901');
const datatype = fc.constantFrom(
  ...['string', 'date', 'dateTime', 'integer', 'decimal', 'boolean', 'anyURI', 'gYear'].map((t) => NS.xsd + t),
  'http://x.test/datatype',
);
const literalTerm = fc.oneof(
  text(40).map((v) => literal(v)),
  fc.tuple(text(40), language).map(([v, l]) => literal(v, l)),
  fc.tuple(text(20), datatype).map(([v, d]) => literal(v, namedNode(d))),
  // Doubles of 15 significant digits: jsonld.js, reading JSON-LD back, writes doubles with 16.
  fc
    .oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => Number(n.toPrecision(15))),
    )
    .map((n) => literal(String(n), namedNode(NS.xsd + (Number.isInteger(n) ? 'integer' : 'double')))),
);
const blank = fc.integer({ min: 0, max: 5 }).map((n) => blankNode(`b${n}`));
const subject = fc.oneof(
  iri.map((v) => namedNode(v)),
  blank,
);
const object = fc.oneof(
  iri.map((v) => namedNode(v)),
  blank,
  literalTerm,
  literalTerm,
);
const triple = fc.tuple(subject, predicate, object).map(([s, p, o]) => quad(s, namedNode(p), o));
const graph = fc.array(triple, { minLength: 1, maxLength: 25 });

// ---------------------------------------------------------------------------------------------
// Writing with the libraries

async function write(quads: Quad[], format: 'turtle' | 'ntriples' | 'jsonld'): Promise<string> {
  if (format === 'jsonld') return JSON.stringify(await jsonld.fromRDF(quads as never, { useNativeTypes: false } as never));
  if (format === 'ntriples') return new Writer({ format: 'N-Triples' }).quadsToString(quads);
  return new Writer({ format: 'Turtle', prefixes: { dcat: NS.dcat, dct: NS.dct } }).quadsToString(quads);
}

// ---------------------------------------------------------------------------------------------
// The server

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'http'), { env: { VALIDATE_RATE_LIMIT: '1000000', WRITE_RATE_LIMIT: '1000000' } });
  key = (await createApiKey(t.store, ORG)).key;
});
afterAll(() => t.close());

const options = (): fc.Parameters<unknown> => ({
  numRuns: 1_000_000,
  interruptAfterTimeLimit: FUZZ_TIME_MS,
  markInterruptAsFailure: false,
  ...(SEED === undefined ? {} : { seed: SEED }),
});

/** Asserts what every answer to a body must be: a report or a problem+json 4xx, never a 5xx. */
function expectAnswer(r: { statusCode: number; headers: Record<string, unknown>; body: string }, allowed: number[], what: string): void {
  const type = String(r.headers['content-type'] ?? '');
  expect(r.statusCode, `${what}: ${r.body.slice(0, 500)}`).toBeLessThan(500);
  expect(allowed, `${what}: status ${r.statusCode} ${r.body.slice(0, 500)}`).toContain(r.statusCode);
  if (r.statusCode >= 400 && r.statusCode !== 422) expect(type, what).toMatch(/^application\/problem\+json/);
  expect(() => JSON.parse(r.body), `${what}: the answer is not JSON`).not.toThrow();
}

describe('fuzzing the parsers through the API', () => {
  it(
    'answers every random graph, in Turtle, N-Triples and JSON-LD, on /validate with a report or a 4xx',
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(graph, fc.constantFrom('turtle', 'ntriples', 'jsonld') as fc.Arbitrary<'turtle' | 'ntriples' | 'jsonld'>, async (quads, format) => {
          runs++;
          const body = await write(quads, format);
          const r = await t.app.inject({
            method: 'POST',
            url: '/validate',
            payload: body,
            headers: { 'content-type': MEDIA_TYPES[format]!, accept: 'application/json' },
          });
          expectAnswer(r, [200, 400, 413, 422], `POST /validate ${format}\n${body.slice(0, 2_000)}`);
          if (r.statusCode === 400) expect(r.json().type, r.body).toMatch(/rdf-syntax|invalid-request/);
        }),
        options(),
      );
      expect(runs, 'too few runs in the time given').toBeGreaterThan(20);
    },
    FUZZ_TIME_MS + 30_000,
  );

  it(
    'stores random datasets or refuses them with 422, and serves a stored one back in every syntax as the same graph',
    async () => {
      let runs = 0;
      let stored = 0;
      const dataset = fc.record({
        title: fc.tuple(text(30), language),
        description: text(60),
        keywords: fc.array(fc.tuple(text(15), language), { maxLength: 4 }),
        extra: fc.array(fc.tuple(predicate, object), { maxLength: 6 }),
        format: fc.constantFrom('turtle', 'ntriples', 'jsonld') as fc.Arbitrary<'turtle' | 'ntriples' | 'jsonld'>,
      });
      await fc.assert(
        fc.asyncProperty(dataset, async ({ title, description, keywords, extra, format }) => {
          const id = `fuzz-${++runs}-${Date.now().toString(36)}`;
          const root = namedNode(`${TEST_BASE}/datasets/${id}`);
          const node = blankNode('owned');
          const quads = [
            quad(root, namedNode(NS.rdf + 'type'), namedNode(NS.dcat + 'Dataset')),
            quad(root, namedNode(NS.dct + 'identifier'), literal(id)),
            quad(root, namedNode(NS.dct + 'title'), literal(title[0], title[1])),
            quad(root, namedNode(NS.dct + 'description'), literal(description, 'nb')),
            quad(root, namedNode(NS.dcat + 'theme'), namedNode('http://publications.europa.eu/resource/authority/data-theme/GOVE')),
            quad(root, namedNode(NS.dct + 'publisher'), namedNode(PUBLISHER)),
            quad(namedNode(PUBLISHER), namedNode(NS.rdf + 'type'), namedNode(NS.foaf + 'Agent')),
            quad(namedNode(PUBLISHER), namedNode(NS.foaf + 'name'), literal('Digdir', 'nb')),
            ...keywords.map(([k, l]) => quad(root, namedNode(NS.dcat + 'keyword'), literal(k, l))),
            // Extra values on a node the dataset owns (a blank node it points to), never on another IRI.
            ...(extra.length > 0 ? [quad(root, namedNode(NS.dct + 'relation'), node)] : []),
            ...extra.filter(([, o]) => o.termType !== 'BlankNode').map(([p, o]) => quad(node, namedNode(p), o)),
          ];
          const body = await write(quads, format);
          const what = `POST /datasets ${format}\n${body.slice(0, 2_000)}`;
          const r = await t.app.inject({
            method: 'POST',
            url: '/datasets',
            payload: body,
            headers: { 'content-type': MEDIA_TYPES[format]!, authorization: `Bearer ${key}` },
          });
          expectAnswer(r, [201, 400, 403, 422], what);
          // 400 only for what the body itself gets wrong in RDF (a literal its syntax cannot hold, an ill-formed language tag).
          if (r.statusCode === 400) expect(r.json().type, r.body).toMatch(/rdf-syntax|invalid-request/);
          // 403 only when a random object IRI happens to name another organisation; it never does here.
          expect(r.statusCode, what).not.toBe(403);
          if (r.statusCode !== 201) {
            expect(await t.store.get('dataset', id), `refused, yet stored: ${what}`).toBeUndefined();
            return;
          }
          stored++;
          for (const [ext, formatId] of [
            ['ttl', 'turtle'],
            ['nt', 'ntriples'],
            ['jsonld', 'jsonld'],
            ['rdf', 'rdfxml'],
            ['nq', 'nquads'],
            ['trig', 'trig'],
          ] as Array<[string, FormatId]>) {
            const read = await t.app.inject({ method: 'GET', url: `/datasets/${id}?format=${ext}` });
            expect(read.statusCode, `GET ?format=${ext} after ${what}`).toBe(200);
            const back = await parseBack(read.body, formatId);
            expect(sameGraph(back, quads), `?format=${ext} read back as another graph than was sent: ${what}\n--- served:\n${read.body.slice(0, 3_000)}`).toBe(
              true,
            );
          }
        }),
        options(),
      );
      expect(runs, 'too few runs in the time given').toBeGreaterThan(10);
      expect(stored, 'no random dataset was stored: the generator makes only invalid ones').toBeGreaterThan(0);
    },
    FUZZ_TIME_MS + 60_000,
  );

  it(
    'answers mutated real documents in Turtle, JSON-LD and RDF/XML with a report or a 4xx that says where',
    async () => {
      const examples = join(FIXTURES, 'examples');
      const documents = [
        { format: 'turtle', text: readFileSync(join(examples, 'fdk-dcat-ap-no-test.ttl'), 'utf8') },
        { format: 'jsonld', text: readFileSync(join(examples, 'fdk-validator-valid-catalog.json'), 'utf8') },
        { format: 'rdfxml', text: readFileSync(join(examples, 'fdk-validator-valid-catalog.xml'), 'utf8') },
      ] as const;
      const mutation = fc.oneof(
        fc.record({
          op: fc.constant('insert' as const),
          at: fc.nat(),
          what: fc.oneof(
            text(5),
            fc.constantFrom(
              '<',
              '>',
              '"',
              '{',
              '}',
              '[',
              ']',
              '(',
              ')',
              ';',
              '.',
              ',',
              '@',
              '_:',
              '<!DOCTYPE x>',
              '<![CDATA[',
              '&amp;',
              '&#0;',
              '\\u0000',
              '"@context"',
            ),
          ),
        }),
        fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
        fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
      );
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...documents), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (document, mutations) => {
          runs++;
          let body: string = document.text;
          for (const m of mutations) {
            const at = m.at % (body.length + 1);
            if (m.op === 'insert') body = body.slice(0, at) + m.what + body.slice(at);
            else if (m.op === 'delete') body = body.slice(0, at) + body.slice(at + m.length);
            else body = body.slice(0, at);
          }
          const r = await t.app.inject({
            method: 'POST',
            url: '/validate',
            payload: body,
            headers: { 'content-type': MEDIA_TYPES[document.format]!, accept: 'application/json' },
          });
          const what = `POST /validate ${document.format} mutated by ${JSON.stringify(mutations)}`;
          expectAnswer(r, [200, 400, 413, 422], what);
          if (r.statusCode === 400 && r.json().type === 'urn:katalog:problem:rdf-syntax' && document.format !== 'jsonld' && body.trim() !== '') {
            const { line, column } = r.json();
            expect(Number.isInteger(line) && line >= 1 && line <= body.split(/\r\n|\n|\r/).length, `${what}: a syntax error without its line: ${r.body}`).toBe(
              true,
            );
            expect(Number.isInteger(column) && column >= 1, `${what}: a syntax error without its column: ${r.body}`).toBe(true);
          }
        }),
        options(),
      );
      expect(runs, 'too few runs in the time given').toBeGreaterThan(20);
    },
    FUZZ_TIME_MS + 30_000,
  );
});
