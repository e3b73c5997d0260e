import type { Quad } from '@rdfjs/types';
import jsonld from 'jsonld';
import { DataFactory, Parser, Writer } from 'n3';
import type { Format } from '../core/media-types.js';
import { PREFIXES, RDF, RDF_TYPE, XSD } from '../core/namespaces.js';
import type { Change, ChangeQuery, Store } from '../store/store.js';

const { namedNode, literal, quad, blankNode } = DataFactory;

/** The vocabularies of a change feed (docs/feed.md): Activity Streams, LDES and TREE. */
export const FEED_PREFIXES = {
  as: 'https://www.w3.org/ns/activitystreams#',
  ldes: 'https://w3id.org/ldes#',
  tree: 'https://w3id.org/tree#',
} as const;
const AS = (local: string) => FEED_PREFIXES.as + local;
const LDES = (local: string) => FEED_PREFIXES.ldes + local;
const TREE = (local: string) => FEED_PREFIXES.tree + local;

/** What the change history keeps: everything, each record's latest version and every delete, or the last days. */
export type Retention = { keep: 'all' } | { keep: 'latest' } | { keep: 'days'; days: number };

/** The activity each kind of change is. */
const ACTIVITY = { create: AS('Create'), update: AS('Update'), delete: AS('Delete') } as const;

/**
 * One change feed (docs/feed.md): the stream's IRI, where its pages are, and which changes it
 * follows. A page is named by the change number it follows (`after`): it holds the first `size`
 * changes after that one, so its URL never changes meaning, and a full page never changes.
 */
export interface FeedScope {
  /** The ldes:EventStream, e.g. `{base}/feed`. */
  stream: string;
  /** A page's URL is `{pages}{after}{suffix}`. */
  pages: string;
  /** The query string the pages carry (`?kind=dataset`), or ''. */
  suffix: string;
  query: ChangeQuery;
  /** Where activities live: `{base}/feed/activities/{seq}`. */
  activities: string;
  /** What the history keeps (none given: everything). */
  retention?: Retention;
}

export const pageUrl = (scope: FeedScope, after: number) => `${scope.pages}${after}${scope.suffix}`;
export const activityIri = (scope: FeedScope, seq: number) => `${scope.activities}${seq}`;

/**
 * A feed document: quads about the stream and the page (`head`), and the changes whose activities
 * it holds (written after the head: activityQuads, or straight from their N-Triples: writeFeed).
 */
export interface FeedDocument {
  scope: FeedScope;
  head: Quad[];
  changes: Change[];
}

/** A page of a feed, and what tells one state of it from another. */
export interface FeedPage extends FeedDocument {
  /** Holds `size` changes: it will never change. */
  full: boolean;
  /** The page's content in a word: its start, size and last change (a new change moves it while the page is open). */
  tag: string;
  /** The latest change's time on the page. */
  lastModified?: string;
}

/** The description of the stream itself (GET /feed): its paths and its first page. */
export function streamQuads(scope: FeedScope): Quad[] {
  const stream = namedNode(scope.stream);
  return [
    quad(stream, namedNode(RDF_TYPE), namedNode(LDES('EventStream'))),
    quad(stream, namedNode(LDES('timestampPath')), namedNode(AS('published'))),
    quad(stream, namedNode(LDES('versionOfPath')), namedNode(AS('object'))),
    quad(stream, namedNode(TREE('view')), namedNode(pageUrl(scope, 0))),
    ...retentionQuads(scope),
  ];
}

/**
 * The view's retention policy (LDES): none when everything is kept; each record's latest version
 * (ldes:LatestVersionSubset of one by as:object, deletes kept too), or the last days
 * (ldes:DurationAgoPolicy).
 */
function retentionQuads(scope: FeedScope): Quad[] {
  const retention = scope.retention;
  if (!retention || retention.keep === 'all') return [];
  const view = namedNode(pageUrl(scope, 0));
  const policy = blankNode('retention');
  const quads = [quad(view, namedNode(LDES('retentionPolicy')), policy)];
  if (retention.keep === 'days') {
    quads.push(
      quad(policy, namedNode(RDF_TYPE), namedNode(LDES('DurationAgoPolicy'))),
      quad(policy, namedNode(TREE('value')), literal(`P${retention.days}D`, namedNode(XSD('duration')))),
    );
  } else {
    const key = blankNode('versionKey');
    quads.push(
      quad(policy, namedNode(RDF_TYPE), namedNode(LDES('LatestVersionSubset'))),
      quad(policy, namedNode(LDES('amount')), literal('1', namedNode(XSD('integer')))),
      quad(policy, namedNode(LDES('versionKey')), key),
      quad(key, namedNode(RDF('first')), namedNode(AS('object'))),
      quad(key, namedNode(RDF('rest')), namedNode(RDF('nil'))),
    );
  }
  return quads;
}

/** Removes what `retention` no longer keeps, as of `now` (the store never gives a number twice, so positions stay valid). */
export function compactFeed(store: Store, retention: Retention, now = new Date()): Promise<number> {
  if (retention.keep === 'all') return Promise.resolve(0);
  if (retention.keep === 'latest') return store.compactChanges({ superseded: true });
  return store.compactChanges({ before: new Date(now.getTime() - retention.days * 86_400_000).toISOString() });
}

/**
 * An activity for a change: its type, the record (as:object), its time (as:published), and for a
 * create or update the record's description as it was then, in the graph the activity names. Each
 * activity's blank nodes are its own (labels prefixed with its number).
 */
export function activityQuads(scope: FeedScope, change: Change): Quad[] {
  const activity = namedNode(activityIri(scope, change.seq));
  const quads = [
    quad(activity, namedNode(RDF_TYPE), namedNode(ACTIVITY[change.op])),
    quad(activity, namedNode(AS('object')), namedNode(change.iri)),
    quad(activity, namedNode(AS('published')), literal(change.at, namedNode(XSD('dateTime')))),
  ];
  if (change.op !== 'delete' && change.nt !== '') {
    for (const t of new Parser({ format: 'N-Triples', blankNodePrefix: `c${change.seq}_` }).parse(change.nt)) {
      quads.push(quad(t.subject, t.predicate, t.object, activity));
    }
  }
  return quads;
}

/**
 * The page of `scope` after change `after`, at most `size` changes: the stream with its members,
 * the page as a tree:Node, and, when the page is full, the relation to the next page (every change
 * there was published at or after this page's last).
 */
export async function feedPage(store: Store, scope: FeedScope, after: number, size: number): Promise<FeedPage> {
  const changes = await store.changes(after, size, { ...scope.query, only: 'nt' });
  const page = namedNode(pageUrl(scope, after));
  const stream = namedNode(scope.stream);
  const head = [...streamQuads(scope), quad(page, namedNode(RDF_TYPE), namedNode(TREE('Node')))];
  const full = changes.length === size;
  const last = changes.at(-1);
  if (full && last) {
    const relation = blankNode('next');
    head.push(
      quad(page, namedNode(TREE('relation')), relation),
      quad(relation, namedNode(RDF_TYPE), namedNode(TREE('GreaterThanOrEqualToRelation'))),
      quad(relation, namedNode(TREE('path')), namedNode(AS('published'))),
      quad(relation, namedNode(TREE('value')), literal(last.at, namedNode(XSD('dateTime')))),
      quad(relation, namedNode(TREE('node')), namedNode(pageUrl(scope, last.seq))),
    );
  }
  for (const change of changes) head.push(quad(stream, namedNode(TREE('member')), namedNode(activityIri(scope, change.seq))));
  return { scope, head, changes, full, tag: `${after}-${size}-${last?.seq ?? 0}`, ...(last ? { lastModified: last.at } : {}) };
}

/** Every quad of a feed document. */
export function documentQuads(document: FeedDocument): Quad[] {
  return [...document.head, ...document.changes.flatMap((change) => activityQuads(document.scope, change))];
}

/** A blank node's label in an N-Triples line Katalog wrote: the subject's, or the object's (the last term). */
const BLANK_SUBJECT = /^_:([^\s"]+) /;
const BLANK_OBJECT = / _:([^\s"]+) \.$/;

/**
 * An activity in N-Quads, written straight from the change's N-Triples (as Katalog stored them: one
 * triple a line, a blank node only as the first or the last term): each line gets the activity's
 * graph, each blank node the activity's prefix (as activityQuads gives them); a label never holds
 * a quote, so a literal ending in "_:x" is left alone. n3's parser and writer are the oracle
 * (test/catalog/feed.test.ts).
 */
function activityNQuads(scope: FeedScope, change: Change): string {
  const activity = `<${activityIri(scope, change.seq)}>`;
  let text =
    `${activity} <${RDF_TYPE}> <${ACTIVITY[change.op]}> .\n` +
    `${activity} <${AS('object')}> <${change.iri}> .\n` +
    `${activity} <${AS('published')}> "${change.at}"^^<${XSD('dateTime')}> .\n`;
  if (change.op === 'delete' || change.nt === '') return text;
  const prefix = `_:c${change.seq}_`;
  for (const line of change.nt.split('\n')) {
    if (line === '') continue;
    const relabelled = line.includes('_:') ? line.replace(BLANK_SUBJECT, `${prefix}$1 `).replace(BLANK_OBJECT, ` ${prefix}$1 .`) : line;
    text += `${relabelled.slice(0, -1)}${activity} .\n`;
  }
  return text;
}

/**
 * A feed document in `format` (TriG, N-Quads or JSON-LD): TriG by n3's writer, JSON-LD by jsonld.js
 * (expanded, a graph per activity), N-Quads by n3's writer for the head and straight from the
 * stored N-Triples for the activities (activityNQuads).
 */
export async function writeFeed(document: FeedDocument, format: Format): Promise<string> {
  if (format.id === 'jsonld') {
    return JSON.stringify(await jsonld.fromRDF(documentQuads(document) as never, { useNativeTypes: false }));
  }
  const nquads = format.id === 'nquads';
  const writer = new Writer(nquads ? { format: 'N-Quads' } : { format: 'application/trig', prefixes: { ...PREFIXES, ...FEED_PREFIXES } });
  writer.addQuads(nquads ? document.head : documentQuads(document));
  const text = await new Promise<string>((resolve, reject) => writer.end((error, written) => (error ? reject(error) : resolve(written))));
  return nquads ? text + document.changes.map((change) => activityNQuads(document.scope, change)).join('') : text;
}
