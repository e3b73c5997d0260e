/**
 * The W3C RDF 1.1 syntax test suites (test/fixtures/rdf11, see its PROVENANCE.md): each suite's
 * manifest read into cases. A case is an entry of the manifest's mf:entries list: its type
 * (rdft:TestTurtleEval ...), its action file, its result file (eval tests only) and the base IRI
 * the suite says to parse the action with: the file's retrieval IRI, that is the manifest's
 * mf:assumedTestBase (or the suite's home named in its README, for the N-Triples and N-Quads
 * manifests, which have none) followed by the file's path relative to the manifest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Quad } from '@rdfjs/types';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type { FormatId } from '../../src/core/media-types.js';
import { FIXTURES } from './fixtures.js';
import { list, one } from './manifests.js';

const MF = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#';
const RDFT = 'http://www.w3.org/ns/rdftest#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

export const RDF11_SUITES = join(FIXTURES, 'rdf11');

/** The five suites, the syntax of their tests and where the W3C serves them (their READMEs). */
export const SUITES = {
  'rdf-turtle': { format: 'turtle', home: 'https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/' },
  'rdf-trig': { format: 'trig', home: 'https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-trig/' },
  'rdf-n-triples': { format: 'ntriples', home: 'https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-triples/' },
  'rdf-n-quads': { format: 'nquads', home: 'https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-n-quads/' },
  'rdf-xml': { format: 'rdfxml', home: 'https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-xml/' },
} as const satisfies Record<string, { format: FormatId; home: string }>;

export type SuiteName = keyof typeof SUITES;
export const SUITE_NAMES = Object.keys(SUITES) as SuiteName[];

/** What a test asks: eval (the action gives the result's graph), or that the action parses or not. */
export type CaseKind = 'eval' | 'positive-syntax' | 'negative-syntax' | 'negative-eval';

export interface SuiteFile {
  /** Path relative to the suite's folder (`xmlbase/test014.rdf`). */
  path: string;
  /** The file's retrieval IRI under the suite's base: the base IRI to parse it with. */
  baseIRI: string;
  text: string;
}

export interface Rdf11Case {
  suite: SuiteName;
  /**
   * The entry's fragment (`IRI_subject`, `xmlbase-test014`), unique within its suite. It is its
   * mf:name but for five entries: mf:name repeats (two Turtle entries are named
   * `turtle-syntax-bad-num-05`, the second `#turtle-syntax-bad-LITERAL2_with_langtag_and_datatype`;
   * the same in TriG) or differs (`#trig-bnodeplist-graph-01` is named `trig-bnodeplist-graph-bad-01`).
   */
  name: string;
  /** The entry's type without the rdft: namespace (`TestTurtleEval`). */
  type: string;
  kind: CaseKind;
  /** The syntax of the action file. */
  format: FormatId;
  approval: string;
  action: SuiteFile;
  /** The expected N-Triples (N-Quads for TriG), for eval tests. */
  result?: SuiteFile;
}

const KINDS: Array<[RegExp, CaseKind]> = [
  [/NegativeEval$/, 'negative-eval'],
  [/NegativeSyntax$/, 'negative-syntax'],
  [/PositiveSyntax$/, 'positive-syntax'],
  [/Eval$/, 'eval'],
];

/** Every case of one suite, in manifest order. */
export function suiteCases(suite: SuiteName): Rdf11Case[] {
  const folder = join(RDF11_SUITES, suite);
  const folderUrl = pathToFileURL(folder).href + '/';
  const manifestUrl = folderUrl + 'manifest.ttl';
  const quads = new Parser({ baseIRI: manifestUrl }).parse(readFileSync(join(folder, 'manifest.ttl'), 'utf8')) as Quad[];
  const manifest = quads.find((q) => q.subject.value === manifestUrl)!.subject;
  const base = one(quads, manifest, MF + 'assumedTestBase')?.value ?? SUITES[suite].home;
  const file = (url: string): SuiteFile => {
    if (!url.startsWith(folderUrl)) throw new Error(`${suite}: ${url} is outside the suite`);
    const path = decodeURIComponent(url.slice(folderUrl.length));
    return { path, baseIRI: base + url.slice(folderUrl.length), text: readFileSync(fileURLToPath(url), 'utf8') };
  };
  return list(quads, one(quads, manifest, MF + 'entries')).map((entry) => {
    const type = one(quads, entry, RDF + 'type')!.value.replace(RDFT, '');
    const kind = KINDS.find(([pattern]) => pattern.test(type))?.[1];
    if (!kind) throw new Error(`${suite}: ${entry.value} has an unknown type ${type}`);
    const result = one(quads, entry, MF + 'result');
    return {
      suite,
      name: entry.value.slice(entry.value.indexOf('#') + 1),
      type,
      kind,
      format: SUITES[suite].format,
      approval: one(quads, entry, RDFT + 'approval')?.value.replace(RDFT, '') ?? '',
      action: file(one(quads, entry, MF + 'action')!.value),
      result: result ? file(result.value) : undefined,
    };
  });
}

/** Every case of every suite. */
export function allCases(): Rdf11Case[] {
  return SUITE_NAMES.flatMap(suiteCases);
}

/** The graph (for TriG, the dataset) an eval test expects, read from its N-Triples or N-Quads by n3. */
export function expectedQuads(c: Rdf11Case): Quad[] {
  if (!c.result) throw new Error(`${c.suite}/${c.name} is not an eval test`);
  const format = c.result.path.endsWith('.nq') ? 'N-Quads' : 'N-Triples';
  return new Parser({ format, baseIRI: c.result.baseIRI }).parse(c.result.text) as Quad[];
}

/**
 * Parses a document with the libraries themselves (n3, jsonld.js, rdfxml-streaming-parser), not
 * with Katalog's parser: a writer's output is checked by readers that share none of its code.
 * JSON-LD may refer to Katalog's context at `contextUrl`, served from memory.
 */
export async function parseIndependently(text: string, format: FormatId, contextUrl: string, context: unknown): Promise<Quad[]> {
  const baseIRI = 'http://example.com/';
  if (format === 'jsonld') {
    const documentLoader = async (url: string) => {
      if (url === contextUrl) return { contextUrl: undefined, documentUrl: url, document: context };
      throw new Error(`the JSON-LD refers to ${url}`);
    };
    return (await jsonld.toRDF(JSON.parse(text), { base: baseIRI, documentLoader } as jsonld.Options.ToRdf)) as unknown as Quad[];
  }
  if (format === 'rdfxml') {
    return new Promise((resolve, reject) => {
      const quads: Quad[] = [];
      const parser = new RdfXmlParser({ baseIRI });
      parser.on('data', (q: Quad) => quads.push(q));
      parser.on('error', reject);
      parser.on('end', () => resolve(quads));
      parser.write(text);
      parser.end();
    });
  }
  return new Parser({ format: N3_FORMATS[format], baseIRI }).parse(text) as Quad[];
}

const N3_FORMATS = { turtle: 'Turtle', trig: 'TriG', ntriples: 'N-Triples', nquads: 'N-Quads' } as const;
