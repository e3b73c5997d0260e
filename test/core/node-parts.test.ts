import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { describe, expect, it } from 'vitest';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import { parseRdf } from '../../src/core/parse.js';
import { quadToNt } from '../../src/core/rdf-terms.js';
import { relabelBlankNodes, splitIntoRecords } from '../../src/core/records.js';
import { type NodePart, renderRecord, runOf, SharedOnce, without } from '../../src/core/serialize/node-parts.js';
import { REPRESENTATION_NAMES, type RepresentationName, type Representations, triplesOf } from '../../src/core/serialize/representations.js';
import { TURTLE_PREFIXES } from '../../src/core/serialize/turtle.js';
import { parseableExamples } from '../helpers/fixtures.js';
import { sameGraph } from '../helpers/graphs.js';

const { namedNode } = DataFactory;

/**
 * Each triple once per document (docs/design.md, Representations): a record's representations are
 * laid out node by node, and a document cuts shared nodes out of records to write them once.
 */

/** One representation read back with the parsers (blank node labels kept as written). */
async function read(text: string, name: RepresentationName): Promise<Quad[]> {
  if (name === 'nt') return triplesOf(text);
  if (name === 'ttl') return parseRdf(TURTLE_PREFIXES + text, 'turtle', { baseIRI: 'http://example.com/' });
  return parseRdf(`{"@context": ${JSON.stringify(CONTEXT_DOCUMENT['@context'])}, "@graph": [${text}]}`, 'jsonld', { baseIRI: 'http://example.com/' });
}

const lines = (nt: string) => new Set(nt.split('\n').filter((l) => l !== ''));

/** The records of every parseable example, split and labelled as the record pipeline does. */
async function exampleRecords() {
  const out: Array<{ name: string; quads: Quad[]; root: Term; shared: ReadonlySet<string> }> = [];
  for (const example of parseableExamples()) {
    const quads = await parseRdf(example.text, example.format.id, { baseIRI: 'http://example.com/' });
    const { records, sharedBlankNodes } = splitIntoRecords(relabelBlankNodes(quads, 'x'));
    for (const r of records) out.push({ name: `${example.name} <${r.root.value}>`, quads: r.quads, root: r.root, shared: sharedBlankNodes });
  }
  return out;
}

describe('a record laid out node by node', () => {
  it('gives every example record representations of exactly its graph, each node part a run of exactly its triples', async () => {
    const records = await exampleRecords();
    expect(records.length).toBeGreaterThan(20);
    let parts = 0;
    for (const { name, quads, root, shared } of records) {
      const rendered = renderRecord(quads, root, shared);
      expect(lines(rendered.nt), name).toEqual(new Set(quads.map((q) => quadToNt(q).trimEnd())));
      for (const rep of REPRESENTATION_NAMES) {
        expect(sameGraph(await read(rendered[rep], rep), quads), `${name} ${rep}`).toBe(true);
        // Cut every part out and write each run after the rest, as a document does: the record's graph again.
        const runs = rendered.parts.map((p) => runOf(rendered[rep], p.spans[rep], rep));
        const rest = without(
          rendered[rep],
          rendered.parts.map((p) => p.spans[rep]),
        );
        expect(sameGraph(await read([rest, ...runs].join(rep === 'jsonld' ? ',\n' : ''), rep), quads), `${name} ${rep} cut`).toBe(true);
        for (const [i, p] of rendered.parts.entries()) {
          expect(sameGraph(await read(runs[i]!, rep), triplesOf(rendered.nt.slice(...p.spans.nt))), `${name} ${rep} ${p.node}`).toBe(true);
        }
      }
      for (const p of rendered.parts) expect(p.node).not.toBe(root.value);
      parts += rendered.parts.length;
    }
    expect(parts, 'the examples describe nodes besides their roots').toBeGreaterThan(20);
  });

  const record = (nt: string) => renderRecord(triplesOf(nt), namedNode('http://ex/r'));
  const R = '<http://ex/r>';
  const A = '<http://ex/agent>';

  it('gives a node its blank nodes, and gives the root a blank node two nodes reach, labelled in both runs', async () => {
    const rendered = record(
      `${R} <http://ex/p> ${A} .\n${A} <http://ex/address> _:addr .\n_:addr <http://ex/street> "Gata 1" .\n` +
        `${R} <http://ex/contact> _:both .\n${A} <http://ex/contact> _:both .\n_:both <http://ex/name> "N" .\n`,
    );
    expect(rendered.parts.map((p) => p.node)).toEqual(['http://ex/agent']);
    const agent = rendered.nt.slice(...rendered.parts[0]!.spans.nt);
    expect(agent).toContain('Gata 1');
    expect(agent).not.toContain('"N"');
    // _:both is written with its label in the agent's run and in the root's, so the runs join again.
    const ttlRun = runOf(rendered.ttl, rendered.parts[0]!.spans.ttl, 'ttl');
    expect(ttlRun).toContain('_:both');
    expect(without(rendered.ttl, [rendered.parts[0]!.spans.ttl])).toContain('_:both');
  });

  it('makes a blank node several records of one document share a node of its own', () => {
    const rendered = renderRecord(triplesOf(`${R} <http://ex/p> _:s .\n_:s <http://ex/name> "S" .\n`), namedNode('http://ex/r'), new Set(['s']));
    expect(rendered.parts.map((p) => p.node)).toEqual(['_:s']);
  });

  it('lays out a chain of 20,000 blank nodes under a node without recursion', () => {
    let nt = `${R} <http://ex/p> ${A} .\n${A} <http://ex/next> _:c0 .\n`;
    for (let i = 0; i < 20_000; i++) nt += `_:c${i} <http://ex/next> _:c${i + 1} .\n`;
    const rendered = record(nt);
    expect(rendered.parts).toHaveLength(1);
    expect(lines(rendered.nt.slice(...rendered.parts[0]!.spans.nt)).size).toBe(20_001);
  });

  it('hashes equal descriptions equally, whatever the order of their triples', () => {
    const a = record(`${R} <http://ex/p> ${A} .\n${A} <http://ex/a> "1" .\n${A} <http://ex/b> "2" .\n`);
    const b = record(`${A} <http://ex/b> "2" .\n${R} <http://ex/p> ${A} .\n${A} <http://ex/a> "1" .\n`);
    const c = record(`${R} <http://ex/p> ${A} .\n${A} <http://ex/a> "1" .\n`);
    expect(a.parts[0]!.hash).toBe(b.parts[0]!.hash);
    expect(a.parts[0]!.hash).not.toBe(c.parts[0]!.hash);
  });
});

describe('a document writing shared nodes once', () => {
  const agent = 'http://ex/agent';
  /** n records each describing the agent (with `extra` triples about it for some), all parts shared. */
  const records = (n: number, extra: (i: number) => string = () => '') =>
    Array.from({ length: n }, (_, i) => {
      const iri = `http://ex/r${i}`;
      const rendered = renderRecord(triplesOf(`<${iri}> <http://ex/p> <${agent}> .\n<${agent}> <http://ex/name> "Agent" .\n${extra(i)}`), namedNode(iri));
      return { ...rendered, shared: rendered.parts };
    });

  /** What the store would answer for nodeTriples: the part's N-Triples, by node and hash. */
  const lookup = (input: ReturnType<typeof records>) => {
    const parts = new Map(input.flatMap((r) => r.parts.map((p: NodePart) => [`${p.node} ${p.hash}`, r.nt.slice(...p.spans.nt)] as const)));
    return async (node: string, hash: string) => parts.get(`${node} ${hash}`);
  };

  const write = async (input: ReturnType<typeof records>, only: RepresentationName | undefined, budget?: number, partTriples = lookup(input)) => {
    const once = new SharedOnce(only, partTriples, budget);
    const out: Representations[] = input.map((r) => once.cut(r));
    for await (const node of once.rest()) out.push(node);
    return out;
  };

  const graphOf = async (parts: Representations[], rep: RepresentationName) => (await Promise.all(parts.map((p) => read(p[rep], rep)))).flat();

  for (const only of [undefined, ...REPRESENTATION_NAMES]) {
    it(`writes the agent once, as the union of its descriptions (${only ?? 'all representations'})`, async () => {
      const input = records(5, (i) => (i === 3 ? `<${agent}> <http://ex/name> "Other" .\n` : ''));
      const out = await write(input, only);
      for (const rep of only ? [only] : REPRESENTATION_NAMES) {
        const graph = await graphOf(out, rep);
        const nt = graph.map(quadToNt);
        expect(new Set(nt).size, rep).toBe(nt.length);
        expect(
          sameGraph(
            graph,
            input.flatMap((r) => triplesOf(r.nt)),
          ),
          rep,
        ).toBe(true);
        expect(graph.filter((q) => q.subject.value === agent)).toHaveLength(2);
      }
    });
  }

  it('keeps the label of a blank node of a node part that a record’s root run refers to, in the union of differing descriptions', async () => {
    const r1 = renderRecord(
      triplesOf(
        `<http://ex/d1> <http://ex/publisher> <${agent}> .\n<${agent}> <http://ex/contact> _:c .\n_:c <http://ex/email> "a@x" .\n` +
          `_:u <http://xmlns.com/foaf/0.1/primaryTopic> <http://ex/d1> .\n_:u <http://ex/contact> _:c .\n`,
      ),
      namedNode('http://ex/d1'),
    );
    const r2 = renderRecord(triplesOf(`<http://ex/d2> <http://ex/publisher> <${agent}> .\n<${agent}> <http://ex/name> "A" .\n`), namedNode('http://ex/d2'));
    const input = [r1, r2].map((r) => ({ ...r, shared: r.parts.filter((p) => p.node === agent) }));
    expect(input.map((r) => r.shared.length)).toEqual([1, 1]);
    for (const rep of REPRESENTATION_NAMES) {
      const out = await write(input, rep);
      const text = out.map((p) => p[rep]).filter((t) => t !== '');
      const graph = await read(text.join(rep === 'jsonld' ? ',\n' : ''), rep);
      expect(sameGraph(graph, [...triplesOf(r1.nt), ...triplesOf(r2.nt)]), rep).toBe(true);
    }
  });

  it('leaves well-formed JSON-LD when the root has no triples of its own and only a later part stays', async () => {
    const rendered = renderRecord(triplesOf(`<http://ex/a> <http://ex/p> "1" .\n<http://ex/b> <http://ex/p> "2" .\n`), namedNode('http://ex/r'));
    expect(rendered.jsonld.startsWith(',')).toBe(false);
    const [first] = rendered.parts;
    const once = new SharedOnce('jsonld', async () => undefined);
    const cut = once.cut({ ...rendered, shared: [first!] });
    expect(cut.jsonld.startsWith(',')).toBe(false);
    const rest: Representations[] = [];
    for await (const node of once.rest()) rest.push(node);
    expect(sameGraph(await read([cut.jsonld, ...rest.map((p) => p.jsonld)].join(',\n'), 'jsonld'), triplesOf(rendered.nt))).toBe(true);
  });

  it('writes each differing description as it was cut when no record has it any more: the same graph', async () => {
    const input = records(3, (i) => `<${agent}> <http://ex/n> "${i}" .\n`);
    const out = await write(input, 'ttl', undefined, async () => undefined);
    expect(
      sameGraph(
        await graphOf(out, 'ttl'),
        input.flatMap((r) => triplesOf(r.nt)),
      ),
    ).toBe(true);
  });

  it('keeps parts in their records past its memory budget: the same graph, with repeats', async () => {
    const input = records(4);
    const cost = runOf(input[0]!.nt, input[0]!.shared[0]!.spans.nt, 'nt').length;
    const none = await write(input, 'nt', 0);
    expect(none.map((p) => p.nt)).toEqual(input.map((r) => r.nt));
    const one = await write(input, 'nt', cost);
    const nt = one.flatMap((p) => [...lines(p.nt)]);
    expect(new Set(nt).size).toBe(nt.length);
    // Two variants: the first fits and is held; the second stays in its record.
    const differing = records(2, (i) => `<${agent}> <http://ex/n> "${i}" .\n`);
    const held = await write(differing, 'nt', runOf(differing[0]!.nt, differing[0]!.shared[0]!.spans.nt, 'nt').length);
    expect(held[1]!.nt).toContain(agent);
    expect(
      sameGraph(
        held.flatMap((p) => triplesOf(p.nt)),
        differing.flatMap((r) => triplesOf(r.nt)),
      ),
    ).toBe(true);
  });
});
