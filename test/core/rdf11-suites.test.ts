/**
 * The W3C RDF 1.1 syntax suites (test/fixtures/rdf11) against Katalog's parser and writers. Their
 * eval tests' expected graphs are a corpus of awkward terms (escapes, Unicode boundaries, odd
 * IRIs, language tags, datatypes, blank nodes, collections, XML literals): every writer must write
 * each so that an independent reader gets the same graph back, or refuse it with its own error
 * where the syntax cannot carry it. Our parser must read every eval test's action file as its
 * expected result and accept every positive syntax test. Negative syntax tests go through HTTP:
 * test/http/rdf11-negative-syntax.test.ts.
 */
import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { renderDocument } from '../../src/core/documents.js';
import { KatalogError } from '../../src/core/errors.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { formatById, FORMATS, type FormatId } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';
import { toTriples } from '../../src/core/records.js';
import { unrepresentable } from '../../src/core/serialize/representable.js';
import { rdfXmlOf, renderRepresentations } from '../../src/core/serialize/representations.js';
import { sameGraph, TEST_CONTEXT_URL } from '../helpers/graphs.js';
import { allCases, expectedQuads, parseIndependently, type Rdf11Case, SUITE_NAMES } from '../helpers/rdf11-suite.js';

/** The bounds a request body is parsed with (the defaults of README "Configuration"). */
const REQUEST_LIMITS = readConfig({}).limits;

const CASES = allCases();
const id = (c: Rdf11Case) => `${c.suite}/${c.name}`;

/** Cases per suite and kind, so that a manifest read wrongly or a file left out shows. */
const COUNTS = {
  'rdf-turtle': { eval: 145, 'positive-syntax': 74, 'negative-syntax': 94 },
  'rdf-trig': { eval: 143, 'positive-syntax': 98, 'negative-syntax': 115 },
  'rdf-n-triples': { 'positive-syntax': 41, 'negative-syntax': 29 },
  'rdf-n-quads': { 'positive-syntax': 53, 'negative-syntax': 34 },
  'rdf-xml': { eval: 126, 'negative-syntax': 40 },
};

/**
 * Eval tests (the same names in the Turtle and TriG suites) whose graphs hold a control character
 * other than tab, line feed and carriage return: XML 1.0 has no way to write one, even as a
 * character reference, so the RDF/XML writer refuses the graph with its error.
 */
const XML_CONTROL_CHARACTER_EVALS = [
  'LITERAL1_ascii_boundaries',
  'LITERAL1_all_controls',
  'LITERAL_LONG1_ascii_boundaries',
  'LITERAL2_ascii_boundaries',
  'LITERAL_LONG2_ascii_boundaries',
  'literal_with_BACKSPACE',
  'literal_with_FORM_FEED',
  'literal_with_escaped_BACKSPACE',
  'literal_with_escaped_FORM_FEED',
];

/** The same in the N-Triples and N-Quads suites' positive syntax tests. */
const XML_CONTROL_CHARACTER_SYNTAX = ['literal_all_controls', 'literal_ascii_boundaries', 'literal_with_BACKSPACE', 'literal_with_FORM_FEED'];

/** Graphs a writer refuses, by `suite/name`, with the reason its error must give. Nothing else may be refused. */
const REFUSED_BY_WRITER: Partial<Record<FormatId, Record<string, RegExp>>> = {
  rdfxml: Object.fromEntries(
    [
      ...['rdf-turtle', 'rdf-trig'].flatMap((suite) => XML_CONTROL_CHARACTER_EVALS.map((name) => `${suite}/${name}`)),
      ...['rdf-n-triples', 'rdf-n-quads'].flatMap((suite) => XML_CONTROL_CHARACTER_SYNTAX.map((name) => `${suite}/${name}`)),
    ].map((name) => [name, /control character that XML 1\.0 cannot carry/]),
  ),
};

/**
 * Eval and positive syntax tests Katalog's parser refuses on purpose (its bounds and hardening:
 * DOCTYPE and entity declarations in RDF/XML ...), by `suite/name`, with the reason. None does:
 * no test of this snapshot declares a DOCTYPE or comes near a request's bounds, and IRIs with dot
 * segments are refused only when written (serialize/representable.ts), while the suites' dot
 * segments are all in relative references that parsing resolves away.
 */
const REFUSED_BY_PARSER: Record<string, RegExp> = {};

/**
 * The graphs every writer must carry: each eval test's expected graph (a TriG test's dataset as
 * the triples of all its graphs, since Katalog stores triples) and, as the N-Triples and N-Quads
 * suites have no eval tests, the graph of each of their positive syntax tests, read by n3.
 */
const CORPUS: Array<{ id: string; graph: Quad[] }> = CASES.flatMap((c) => {
  if (c.kind === 'eval') return [{ id: id(c), graph: toTriples(expectedQuads(c)) }];
  if (c.kind === 'positive-syntax' && (c.format === 'ntriples' || c.format === 'nquads')) {
    const quads = new Parser({ format: c.format === 'ntriples' ? 'N-Triples' : 'N-Quads', baseIRI: c.action.baseIRI }).parse(c.action.text);
    return [{ id: id(c), graph: toTriples(quads) }];
  }
  return [];
});

async function write(graph: Quad[], format: FormatId): Promise<string> {
  // rdfXmlOf, not the catalogue's default that leaves out a record XML cannot carry: the writer's own error must show.
  return renderDocument(formatById(format), [renderRepresentations(graph)], rdfXmlOf);
}

function byName(refused: Map<string, string>, expected: Record<string, RegExp>) {
  expect([...refused.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [name, reason] of refused) expect(reason, name).toMatch(expected[name]!);
}

describe('the W3C RDF 1.1 syntax suites', () => {
  it('are read from their manifests: every case with its type, action, result and base IRI', () => {
    for (const suite of SUITE_NAMES) {
      const kinds: Record<string, number> = {};
      for (const c of CASES.filter((c) => c.suite === suite)) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
      expect(kinds, suite).toEqual(COUNTS[suite]);
    }
    expect(new Set(CASES.map(id)).size).toBe(CASES.length);
    for (const c of CASES) expect(c.result !== undefined, id(c)).toBe(c.kind === 'eval');
    const xmlbase = CASES.find((c) => id(c) === 'rdf-xml/xmlbase-test014')!;
    expect(xmlbase.action.baseIRI).toBe('https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/xmlbase/test014.rdf');
    expect(xmlbase.result!.path).toBe('xmlbase/test014.nt');
  });
});

describe('every writer on the graphs of the W3C RDF 1.1 suites', () => {
  for (const { id: format } of FORMATS) {
    const refusals = REFUSED_BY_WRITER[format] ?? {};
    it(`writes each in ${format}, read back by an independent parser as the same graph, refusing only what ${format} cannot carry (${Object.keys(refusals).length})`, async () => {
      const refused = new Map<string, string>();
      const differ: string[] = [];
      for (const { id, graph } of CORPUS) {
        let text: string;
        try {
          text = await write(graph, format);
        } catch (error) {
          // The writer's own refusal, which tells the client to ask for another syntax.
          expect(error, id).toBeInstanceOf(KatalogError);
          expect((error as KatalogError).code, id).toBe('not-acceptable');
          refused.set(id, (error as Error).message);
          continue;
        }
        if (!sameGraph(await parseIndependently(text, format, TEST_CONTEXT_URL, CONTEXT_DOCUMENT), graph)) differ.push(id);
      }
      expect(differ).toEqual([]);
      byName(refused, refusals);
    });
  }

  it('refuses before storing exactly the graphs some writer refuses, for the same reason', () => {
    const expected: Record<string, RegExp> = Object.assign({}, ...Object.values(REFUSED_BY_WRITER));
    const refused = new Map<string, string>();
    for (const { id, graph } of CORPUS) {
      const problem = unrepresentable(graph);
      if (problem !== undefined) refused.set(id, problem);
    }
    byName(refused, expected);
  });
});

describe("Katalog's parser on the W3C RDF 1.1 suites", () => {
  for (const suite of SUITE_NAMES) {
    const cases = CASES.filter((c) => c.suite === suite && (c.kind === 'eval' || c.kind === 'positive-syntax'));
    const evals = cases.filter((c) => c.kind === 'eval').length;
    const expected = Object.fromEntries(Object.entries(REFUSED_BY_PARSER).filter(([name]) => name.startsWith(suite + '/')));
    it(`reads each ${suite} eval test (${evals}) as its expected result and accepts each positive syntax test (${cases.length - evals}), with a request's bounds`, async () => {
      const refused = new Map<string, string>();
      const differ: string[] = [];
      for (const c of cases) {
        let quads: Quad[];
        try {
          quads = await parseRdf(c.action.text, c.format, { baseIRI: c.action.baseIRI, limits: REQUEST_LIMITS });
        } catch (error) {
          refused.set(id(c), (error as Error).message);
          continue;
        }
        // TriG is compared as a dataset: graph names are kept by the parser (records drop them later).
        if (c.kind === 'eval' && !isomorphic(quads, expectedQuads(c))) differ.push(id(c));
      }
      expect(differ).toEqual([]);
      byName(refused, expected);
    });
  }
});
