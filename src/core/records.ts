import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { kindOfTypes, type KindInfo, MEMBERSHIP_PROPERTIES } from './kinds.js';
import { CV, DCT, RDF_TYPE } from './namespaces.js';
import { tooLarge } from './budgets.js';
import { organisationOf } from './organisations.js';
import { groupBySubject, termKey } from './rdf-terms.js';

const { quad, blankNode, namedNode, defaultGraph } = DataFactory;

/** One record: its root (an IRI, or a blank node before minting), its kind and its triples. */
export interface RecordGraph {
  root: Term;
  kind: KindInfo;
  quads: Quad[];
}

/** Bounds on splitting a request's document (413 when exceeded); none for trusted files. */
export interface SplitBounds {
  maxRecords?: number;
  /** Triples of all records together, counting each copy of a shared node. */
  maxCopiedTriples?: number;
}

export interface SplitResult {
  records: RecordGraph[];
  /** Triples that belong to no record (nothing in them reaches or is reached from a record). */
  remainder: Quad[];
  /** Labels of blank nodes that stand in more than one record (they must keep their label). */
  sharedBlankNodes: Set<string>;
}

const isNode = (t: Term) => t.termType === 'NamedNode' || t.termType === 'BlankNode';

/** Drops graph names and duplicate triples, keeping first-seen order. */
export function toTriples(quads: Quad[]): Quad[] {
  // subject -> predicate -> objects, keyed by the terms' own keys: no key strings are built.
  const seen = new Map<string, Map<string, Set<string>>>();
  const out: Quad[] = [];
  for (const q of quads) {
    const s = termKey(q.subject);
    let predicates = seen.get(s);
    if (!predicates) seen.set(s, (predicates = new Map()));
    let objects = predicates.get(q.predicate.value);
    if (!objects) predicates.set(q.predicate.value, (objects = new Set()));
    const o = termKey(q.object);
    if (objects.has(o)) continue;
    objects.add(o);
    out.push(q.graph.termType === 'DefaultGraph' ? q : quad(q.subject, q.predicate, q.object, defaultGraph()));
  }
  return out;
}

/** The subjects whose rdf:type makes them records, with their kind, in document order. */
export function findRoots(quads: Quad[]): Map<string, { term: Term; kind: KindInfo }> {
  const types = new Map<string, { term: Term; types: string[] }>();
  for (const q of quads) {
    if (q.predicate.value !== RDF_TYPE || q.object.termType !== 'NamedNode' || !isNode(q.subject)) continue;
    const key = termKey(q.subject);
    const entry = types.get(key) ?? { term: q.subject, types: [] };
    entry.types.push(q.object.value);
    types.set(key, entry);
  }
  const roots = new Map<string, { term: Term; kind: KindInfo }>();
  for (const [key, { term, types: t }] of types) {
    const kind = kindOfTypes(t);
    if (kind) roots.set(key, { term, kind });
  }
  return roots;
}

/**
 * Gives every blank node a label `${prefix}${n}` (n from 0, in order of first appearance), so that
 * labels are unique across documents and stable within one: records split from one document keep
 * the same label for a blank node they share.
 */
export function relabelBlankNodes(quads: Quad[], prefix: string): Quad[] {
  const labels = new Map<string, Term>();
  const relabel = <T extends Term>(t: T): T => {
    if (t.termType !== 'BlankNode') return t;
    let label = labels.get(t.value);
    if (!label) labels.set(t.value, (label = blankNode(prefix + labels.size)));
    return label as T;
  };
  return quads.map((q) => quad(relabel(q.subject), q.predicate, relabel(q.object), q.graph));
}

/**
 * Replaces every blank-node record root by the IRI `mint` gives for it, everywhere in the graph
 * (so that catalogue links follow). Returns the graph unchanged when no root is a blank node.
 */
export function mintBlankRoots(quads: Quad[], mint: (kind: KindInfo, label: string) => string): Quad[] {
  const minted = new Map<string, Term>();
  for (const [, { term, kind }] of findRoots(quads)) {
    if (term.termType === 'BlankNode') minted.set(term.value, namedNode(mint(kind, term.value)));
  }
  if (minted.size === 0) return quads;
  const swap = <T extends Term>(t: T): T => (t.termType === 'BlankNode' ? ((minted.get(t.value) as T) ?? t) : t);
  return quads.map((q) => quad(swap(q.subject), q.predicate, swap(q.object), q.graph));
}

/**
 * Splits a graph into records (docs/design.md, Records). A record is its root's triples plus the triples of
 * every non-record node reachable from the root without passing through another record; a node
 * reachable from several records (a publisher's foaf:Agent, a shared concept) is copied into each,
 * so every record is a closed graph for validation. Nodes no record reaches, but which point to
 * records (a dcat:CatalogRecord's foaf:primaryTopic), join each record they reach. The rest is
 * returned as `remainder`. Guarantee: the union of all records and the remainder is the input graph.
 */
export function splitIntoRecords(input: Quad[], bounds: SplitBounds = {}): SplitResult {
  const quads = toTriples(input);
  const maxTriples = bounds.maxCopiedTriples ?? Infinity;
  let copied = 0;
  /** Charges triples copied into records: shared nodes are copied into each record that reaches them. */
  const charge = (n: number) => {
    copied += n;
    if (copied > maxTriples) {
      throw tooLarge(
        `Split into records, the document would hold more than ${maxTriples} triples: too many records share the same nodes.`,
        'maxTriples',
        maxTriples,
      );
    }
  };
  const bySubject = groupBySubject(quads);
  const roots = findRoots(quads);
  if (bounds.maxRecords !== undefined && roots.size > bounds.maxRecords) {
    throw tooLarge(`The document describes ${roots.size} records; at most ${bounds.maxRecords} are accepted in one request.`, 'maxRecords', bounds.maxRecords);
  }

  /** Non-record subjects reachable from `start`, and the records met on the way. */
  const reach = (start: string) => {
    const nodes = new Set<string>();
    const records = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const triples = bySubject.get(stack.pop()!) ?? [];
      charge(triples.length);
      for (const q of triples) {
        if (!isNode(q.object)) continue;
        const o = termKey(q.object);
        if (roots.has(o)) records.add(o);
        else if (bySubject.has(o) && !nodes.has(o) && o !== start) {
          nodes.add(o);
          stack.push(o);
        }
      }
    }
    return { nodes, records };
  };

  const members = new Map<string, Set<string>>();
  const reached = new Set<string>();
  for (const key of roots.keys()) {
    const { nodes } = reach(key);
    members.set(key, new Set([key, ...nodes]));
    nodes.forEach((n) => reached.add(n));
  }
  const remainderSubjects: string[] = [];
  for (const key of bySubject.keys()) {
    if (roots.has(key) || reached.has(key)) continue;
    const { nodes, records } = reach(key);
    if (records.size === 0) remainderSubjects.push(key);
    for (const r of records) {
      const set = members.get(r)!;
      set.add(key);
      nodes.forEach((n) => set.add(n));
    }
  }

  const blankOwners = new Map<string, number>();
  const records: RecordGraph[] = [];
  for (const [key, { term, kind }] of roots) {
    const recordQuads: Quad[] = [];
    const blanks = new Set<string>();
    for (const subject of members.get(key)!) {
      for (const q of bySubject.get(subject) ?? []) {
        recordQuads.push(q);
        for (const t of [q.subject, q.object]) if (t.termType === 'BlankNode') blanks.add(t.value);
      }
    }
    blanks.forEach((b) => blankOwners.set(b, (blankOwners.get(b) ?? 0) + 1));
    records.push({ root: term, kind, quads: recordQuads });
  }
  const sharedBlankNodes = new Set([...blankOwners].filter(([, n]) => n > 1).map(([b]) => b));
  const remainder = remainderSubjects.flatMap((s) => bySubject.get(s)!);
  return { records, remainder, sharedBlankNodes };
}

/** The union of records' triples, without duplicates: the inverse of splitIntoRecords. */
export function joinRecords(records: Array<{ quads: Quad[] }>): Quad[] {
  return toTriples(records.flatMap((r) => r.quads));
}

const PUBLISHER_PROPERTIES = [DCT('publisher'), CV('hasCompetentAuthority'), CV('ownedBy')];

/** Bookkeeping read from a record's RDF: its publisher, organisation and (for catalogues) members. */
export function describeRecord(record: RecordGraph): { publisher?: string; organisation?: string; members: string[] } {
  const rootKey = termKey(record.root);
  const own = record.quads.filter((q) => termKey(q.subject) === rootKey);
  let publisher: string | undefined;
  for (const property of PUBLISHER_PROPERTIES) {
    publisher = own.find((q) => q.predicate.value === property && q.object.termType === 'NamedNode')?.object.value;
    if (publisher) break;
  }
  const members =
    record.kind.kind === 'catalog'
      ? own.filter((q) => MEMBERSHIP_PROPERTIES.has(q.predicate.value) && q.object.termType === 'NamedNode').map((q) => q.object.value)
      : [];
  return { publisher, organisation: organisationOf(publisher), members: [...new Set(members)] };
}
