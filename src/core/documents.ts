import { CONTEXT_JSON, contextFor } from './jsonld-context.js';
import type { Format } from './media-types.js';
import { writeExpandedNodes, writeFlattenedNodes } from './serialize/jsonld.js';
import { rdfXmlOf, type RepresentationName, type Representations, triplesOf } from './serialize/representations.js';
import { RDFXML_HEAD, RDFXML_TAIL } from './serialize/rdfxml.js';
import { TURTLE_PREFIXES } from './serialize/turtle.js';

/**
 * The stored representation a format is assembled from (RDF/XML, and JSON-LD other than
 * compacted, are written from N-Triples).
 */
export function representationOf(format: Format): RepresentationName {
  switch (format.id) {
    case 'turtle':
    case 'trig':
      return 'ttl';
    case 'jsonld':
      return format.form === 'expanded' || format.form === 'flattened' ? 'nt' : 'jsonld';
    case 'ntriples':
    case 'nquads':
    case 'rdfxml':
      return 'nt';
  }
}

/**
 * Assembles a document from record representations, piece by piece, so that a catalogue of any
 * size streams with constant memory: the head (prefixes, XML head, JSON-LD opening with the whole
 * context embedded), then each part as it comes from the store, then the tail. Every format's
 * output is the union of the parts' triples. JSON-LD is self-contained (docs/design.md,
 * Representations): a processor that fetches no remote context reads it.
 */
export async function* assembleDocument(
  format: Format,
  parts: AsyncIterable<Representations> | Iterable<Representations>,
  rdfXml: RdfXmlWriter = rdfXmlPart,
  context: string = CONTEXT_JSON,
): AsyncGenerator<string> {
  let first = true;
  const nodes = (objects: object[]) => objects.map((n) => JSON.stringify(n)).join(',\n');
  switch (format.id) {
    case 'turtle':
    case 'trig':
      yield TURTLE_PREFIXES + '\n';
      for await (const part of parts) yield part.ttl;
      return;
    case 'ntriples':
    case 'nquads':
      for await (const part of parts) yield part.nt;
      return;
    case 'jsonld': {
      const expanded = format.form === 'expanded';
      yield expanded ? '[\n' : `{\n"@context": ${context},\n"@graph": [\n`;
      for await (const part of parts) {
        const text =
          format.form === 'expanded'
            ? nodes(writeExpandedNodes(triplesOf(part.nt)))
            : format.form === 'flattened'
              ? nodes(writeFlattenedNodes(triplesOf(part.nt)))
              : part.jsonld;
        if (text === '') continue;
        yield (first ? '' : ',\n') + text;
        first = false;
      }
      yield expanded ? '\n]\n' : '\n]\n}\n';
      return;
    }
    case 'rdfxml':
      yield RDFXML_HEAD;
      for await (const part of parts) yield rdfXml(part.nt);
      yield RDFXML_TAIL;
      return;
  }
}

/** Writes one record's RDF/XML from its N-Triples (a server may do large ones in a worker thread). */
export type RdfXmlWriter = (nt: string) => string | Promise<string>;

/**
 * One record's RDF/XML, or a comment in its place when XML cannot carry it: writes and loads refuse
 * such records (serialize/representable.ts), but one stored before that rule must not cut a whole
 * catalogue short, so the document stays well-formed and says what it left out.
 */
export function rdfXmlPart(nt: string): string {
  try {
    return rdfXmlOf(nt);
  } catch {
    return '  <!-- a record XML cannot carry is left out: ask for another syntax -->\n';
  }
}

/**
 * A small document (one record, a report) as one string: cheaper to send than a stream. Its
 * JSON-LD embeds only the part of the context its nodes use.
 */
export async function renderDocument(format: Format, parts: Representations[], rdfXml?: RdfXmlWriter): Promise<string> {
  const compacted = format.id === 'jsonld' && (format.form ?? 'compacted') === 'compacted';
  const context = compacted ? JSON.stringify(contextFor(parts.map((p) => p.jsonld))) : undefined;
  let body = '';
  for await (const piece of assembleDocument(format, parts, rdfXml, context)) body += piece;
  return body;
}

/**
 * Joins small pieces into chunks of about `size` characters: a catalogue streams as a few hundred
 * socket (and cache file) writes instead of one per record.
 */
export async function* inChunks(pieces: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let chunk = '';
  for await (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
