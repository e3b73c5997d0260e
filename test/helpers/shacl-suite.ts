/**
 * The W3C SHACL Core test suite (test/fixtures/shacl-core, see its PROVENANCE.md): its manifests
 * read into cases, and the suite's rule for passing one. A case passes in full when the produced
 * sh:ValidationReport is isomorphic to the expected one, sh:resultMessage left out; a case whose
 * expected result is sht:Failure passes when the processor refuses the shapes graph.
 *
 * Reports are compared as the report node's own subgraph (the report, its results, and the blank
 * nodes of complex result paths). Blank nodes a result points to in the data or shapes graphs (a
 * blank focus node or value, a blank property shape as sh:sourceShape) are the same terms in the
 * expected and the produced report, because both come from one parse of the test's files: they are
 * named, not matched by structure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, Parser } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import { FIXTURES } from './fixtures.js';
import { list, objects, one } from './manifests.js';

const { blankNode, namedNode, quad } = DataFactory;
const MF = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#';
const SHT = 'http://www.w3.org/ns/shacl-test#';
const SH = 'http://www.w3.org/ns/shacl#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';

export const SHACL_CORE_SUITE = join(FIXTURES, 'shacl-core');

export interface SuiteCase {
  /** The entry's IRI, relative to the suite's folder (`property/minCount-001`). */
  name: string;
  label: string;
  data: Quad[];
  shapes: Quad[];
  /** The expected report's subgraph (see reportGraph), or 'failure' for sht:Failure. */
  expected: Quad[] | 'failure';
  status: string;
}

const files = new Map<string, Quad[]>();
function parseFile(url: string): Quad[] {
  let quads = files.get(url);
  if (!quads) {
    quads = new Parser({ baseIRI: url }).parse(readFileSync(new URL(url), 'utf8')) as Quad[];
    files.set(url, quads);
  }
  return quads;
}

/** Predicates through which a report's own blank nodes are reached (results and result paths). */
const REPORT_LINKS = new Set([
  SH + 'result',
  SH + 'resultPath',
  SH + 'inversePath',
  SH + 'alternativePath',
  SH + 'zeroOrMorePath',
  SH + 'oneOrMorePath',
  SH + 'zeroOrOnePath',
  RDF + 'first',
  RDF + 'rest',
]);

/**
 * The subgraph of `report` in `quads`: its triples and those of the blank nodes reached through
 * REPORT_LINKS, copied afresh wherever they are reached (a processor may point two results at the
 * one path node of the shapes graph where the expected report writes the path twice), without
 * sh:resultMessage and sh:detail (optional in SHACL, and no expected report of the suite has one).
 * Other blank nodes (focus nodes, values, source shapes) are named by their label, as they stand in
 * the data and shapes graphs.
 */
export function reportGraph(quads: Quad[], report: Term): Quad[] {
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = q.subject.termType + q.subject.value;
    const bucket = bySubject.get(key);
    if (bucket) bucket.push(q);
    else bySubject.set(key, [q]);
  }
  const name = (t: Term) => (t.termType === 'BlankNode' ? namedNode(`urn:blank:${t.value}`) : t);
  const out: Quad[] = [];
  let copies = 0;
  const copy = (node: Term, as: Term, depth: number) => {
    if (depth > 64) throw new Error(`the report nests deeper than 64 levels at ${node.value}`);
    const triples = bySubject.get(node.termType + node.value) ?? [];
    // A path node that is a list is a sequence path: only its list triples are the path (the suite's
    // "strange" shapes give the node other path predicates too).
    const sequence = node !== report && triples.some((q) => q.predicate.value === RDF + 'first');
    for (const q of triples) {
      if (q.predicate.value === SH + 'resultMessage' || q.predicate.value === SH + 'detail') continue;
      if (sequence && q.predicate.value !== RDF + 'first' && q.predicate.value !== RDF + 'rest') continue;
      if (q.object.termType === 'BlankNode' && REPORT_LINKS.has(q.predicate.value)) {
        const fresh = blankNode(`copy${copies++}`);
        out.push(quad(as as never, q.predicate, fresh));
        copy(q.object, fresh, depth + 1);
      } else out.push(quad(as as never, q.predicate, name(q.object) as never));
    }
  };
  copy(report, report.termType === 'BlankNode' ? blankNode('report') : report, 0);
  return out;
}

/** The expected and the produced report agree as the suite's full compliance asks. */
export function sameReport(expected: Quad[], produced: Quad[]): boolean {
  return isomorphic(expected, produced);
}

/** Every case of the suite, in manifest order. */
export function suiteCases(root = SHACL_CORE_SUITE): SuiteCase[] {
  const cases: SuiteCase[] = [];
  const visit = (url: string) => {
    const quads = parseFile(url);
    const manifest = namedNode(url);
    for (const included of objects(quads, manifest, MF + 'include')) visit(included.value);
    for (const entry of list(quads, one(quads, manifest, MF + 'entries'))) {
      const action = one(quads, entry, MF + 'action')!;
      const dataUrl = one(quads, action, SHT + 'dataGraph')!.value;
      const shapesUrl = one(quads, action, SHT + 'shapesGraph')!.value;
      const result = one(quads, entry, MF + 'result')!;
      cases.push({
        name: entry.value.slice(pathToFileURL(root).href.length + 1),
        label: one(quads, entry, RDFS_LABEL)?.value ?? '',
        data: parseFile(dataUrl),
        shapes: parseFile(shapesUrl),
        expected: result.value === SHT + 'Failure' ? 'failure' : reportGraph(quads, result),
        status: one(quads, entry, MF + 'status')?.value.replace(SHT, '') ?? '',
      });
    }
  };
  visit(pathToFileURL(join(root, 'manifest.ttl')).href);
  return cases;
}
