import { createHash } from 'node:crypto';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { termKey } from '../rdf-terms.js';
import { REPRESENTATION_NAMES, renderRepresentations, type RepresentationName, type Representations, triplesOf } from './representations.js';

/**
 * A record's representations laid out node by node (docs/design.md, Representations: "Each triple
 * once per document"). A record holds its root's description and often the description of nodes
 * other records describe too: the publisher's foaf:Agent, a shared contact point. Each such node's
 * triples are written as a run of their own in every representation, so that a document listing
 * many records can cut them out of each record and write them once.
 */

/** Where a run lies in one representation: [from, to) in its characters. */
export type Span = readonly [from: number, to: number];

/** A node other than the record's root described in the record, and where its run lies. */
export interface NodePart {
  /** The node: an IRI, or `_:label` for a blank node several records of one document share. */
  node: string;
  /** Of the node's triples (their N-Triples lines, sorted): equal runs have equal hashes. */
  hash: string;
  /** The run in each representation. A JSON-LD run starts with the separator `,\n` before it. */
  spans: Record<RepresentationName, Span>;
}

/** Representations of a record, with the runs of the nodes other than its root. */
export interface RecordRepresentations extends Representations {
  parts: NodePart[];
}

const { blankNode, namedNode } = DataFactory;

const isBlank = (key: string) => key.startsWith('_:');

/**
 * Which node each subject's triples are written with: the root, any other IRI and every blank node
 * in `shared` stand for themselves (anchors); another blank node goes with the one anchor it is
 * reached from through blank nodes that are not anchors, and with the root when it is reached from
 * several (or from none). Linear: a blank node is expanded at most twice.
 */
function ownersOf(quads: Quad[], rootKey: string, shared: ReadonlySet<string>): Map<string, string> {
  const objects = new Map<string, string[]>();
  const subjects: string[] = [];
  for (const q of quads) {
    const s = termKey(q.subject);
    let list = objects.get(s);
    if (!list) {
      objects.set(s, (list = []));
      subjects.push(s);
    }
    if (q.object.termType === 'BlankNode') list.push(termKey(q.object));
  }
  const isAnchor = (key: string) => key === rootKey || !isBlank(key) || shared.has(key.slice(2));
  const MANY = '\u0000';
  const owner = new Map<string, string>();
  for (const anchor of subjects) {
    if (!isAnchor(anchor)) continue;
    owner.set(anchor, anchor);
    const stack: Array<[string, string]> = (objects.get(anchor) ?? []).map((o) => [o, anchor]);
    while (stack.length > 0) {
      const [key, by] = stack.pop()!;
      if (isAnchor(key)) continue;
      const current = owner.get(key);
      if (current === by || current === MANY) continue;
      const next = current === undefined ? by : MANY;
      owner.set(key, next);
      for (const o of objects.get(key) ?? []) stack.push([o, next]);
    }
  }
  for (const s of subjects) {
    const o = owner.get(s);
    if (o === undefined || o === MANY) owner.set(s, rootKey);
  }
  return owner;
}

/**
 * Renders a record (its triples, its root, the blank nodes it shares with other records of its
 * document) as its representations, root first, then one run per other node. Blank nodes used
 * across runs keep their labels, so that each run can be written on its own.
 */
export function renderRecord(quads: Quad[], root: Term, shared: ReadonlySet<string> = new Set()): RecordRepresentations {
  const rootKey = termKey(root);
  const owner = ownersOf(quads, rootKey, shared);
  const groups = new Map<string, { term: Term; quads: Quad[] }>([[rootKey, { term: root, quads: [] }]]);
  const labelled = new Set(shared);
  for (const q of quads) {
    const key = owner.get(termKey(q.subject))!;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { term: isBlank(key) ? blankNode(key.slice(2)) : namedNode(key), quads: [] }));
    group.quads.push(q);
    if (q.object.termType === 'BlankNode') {
      const objectOwner = owner.get(termKey(q.object));
      if (objectOwner !== undefined && objectOwner !== key) labelled.add(q.object.value);
    }
  }
  const out: RecordRepresentations = { nt: '', ttl: '', jsonld: '', parts: [] };
  for (const [key, group] of groups) {
    const text = renderRepresentations(group.quads, group.term, labelled);
    const from = { nt: out.nt.length, ttl: out.ttl.length, jsonld: out.jsonld.length };
    out.nt += text.nt;
    out.ttl += text.ttl;
    out.jsonld += (out.jsonld === '' ? '' : ',\n') + text.jsonld;
    if (key === rootKey) continue;
    const lines = text.nt.split('\n').filter((line) => line !== '');
    out.parts.push({
      node: key,
      hash: createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 32),
      spans: { nt: [from.nt, out.nt.length], ttl: [from.ttl, out.ttl.length], jsonld: [from.jsonld, out.jsonld.length] },
    });
  }
  return out;
}

/** A representation with the runs of `cut` taken out (the spans of one representation, in any order). */
export function without(text: string, cut: Span[]): string {
  if (cut.length === 0) return text;
  const spans = [...cut].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of spans) {
    out += text.slice(at, from);
    at = to;
  }
  return out + text.slice(at);
}

/** One run as a representation of its own (a JSON-LD run without its leading separator). */
export function runOf(text: string, span: Span, name: RepresentationName): string {
  const run = text.slice(span[0], span[1]);
  return name === 'jsonld' && run.startsWith(',\n') ? run.slice(2) : run;
}

/** At most this many characters of shared runs are held while one document is written (docs/design.md, Representations). */
export const SHARED_TEXT_BUDGET = 16 * 1024 * 1024;

/** The N-Triples of a node part, by its node and hash, when some record still has it (Store.nodeTriples). */
export type PartTriples = (node: string, hash: string) => Promise<string | undefined>;

/**
 * Writes each node that several records describe once per document. Records pass through `cut`,
 * which takes out the runs of their shared parts and keeps one copy of each distinct run; `rest`
 * then gives each such node once: its run as stored when every record had the same, else the union
 * of the records' parts (their N-Triples: the runs themselves, or `partTriples`) laid out again.
 * Memory is bounded by `budget` characters of kept runs, not by the document: a part that would
 * exceed it stays in its record (written there, as before).
 */
export class SharedOnce {
  private readonly held = new Map<string, Map<string, Representations>>();
  private size = 0;
  private readonly names: readonly RepresentationName[];

  /** `only`: the one representation the document is written from (the others are '' and stay so). */
  constructor(
    only: RepresentationName | undefined,
    private readonly partTriples: PartTriples,
    private readonly budget = SHARED_TEXT_BUDGET,
  ) {
    this.names = only ? [only] : REPRESENTATION_NAMES;
  }

  cut<T extends Representations & { shared?: NodePart[] }>(record: T): T {
    const cut: NodePart[] = [];
    for (const part of record.shared ?? []) {
      let variants = this.held.get(part.node);
      if (variants?.has(part.hash)) {
        cut.push(part);
        continue;
      }
      const runs: Representations = { nt: '', ttl: '', jsonld: '' };
      // Copied: a slice of the record's text would keep the whole text alive while the run is held.
      for (const name of this.names) runs[name] = Buffer.from(runOf(record[name], part.spans[name], name), 'utf8').toString('utf8');
      const cost = runs.nt.length + runs.ttl.length + runs.jsonld.length;
      if (this.size + cost > this.budget) continue;
      this.size += cost;
      if (!variants) this.held.set(part.node, (variants = new Map()));
      variants.set(part.hash, runs);
      cut.push(part);
    }
    if (cut.length === 0) return record;
    const out = { ...record };
    for (const name of this.names) {
      const rest = without(
        record[name],
        cut.map((p) => p.spans[name]),
      );
      // A record whose root run is empty starts with a part's separator once that part is cut.
      out[name] = name === 'jsonld' && rest.startsWith(',\n') ? rest.slice(2) : rest;
    }
    return out;
  }

  /** The nodes cut out of the records, each once. */
  async *rest(): AsyncGenerator<Representations> {
    for (const [node, variants] of this.held) {
      if (variants.size === 1) {
        yield variants.values().next().value!;
        continue;
      }
      const union = await this.union(node, variants);
      if (union) {
        const runs: Representations = { nt: '', ttl: '', jsonld: '' };
        for (const name of this.names) runs[name] = union[name];
        yield runs;
      } else {
        // No record has one of the parts any more (rewritten meanwhile): each is written as it was cut.
        yield* variants.values();
      }
    }
    this.held.clear();
    this.size = 0;
  }

  /** The union of a node's differing parts, laid out again; undefined when a part's triples are gone. */
  private async union(node: string, variants: Map<string, Representations>): Promise<Representations | undefined> {
    const lines = new Set<string>();
    for (const [hash, runs] of variants) {
      const nt = this.names.includes('nt') ? runs.nt : await this.partTriples(node, hash);
      if (nt === undefined) return undefined;
      for (const line of nt.split('\n')) if (line !== '') lines.add(line);
    }
    const term = isBlank(node) ? blankNode(node.slice(2)) : namedNode(node);
    const quads = triplesOf([...lines].join('\n') + '\n');
    // Every blank node keeps its label: a record's root run may refer to one by it.
    const labelled = new Set(quads.flatMap((q) => [q.subject, q.object].filter((t) => t.termType === 'BlankNode').map((t) => t.value)));
    return renderRepresentations(quads, term, labelled);
  }
}
