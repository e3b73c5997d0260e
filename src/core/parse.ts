import type { Quad, Term } from '@rdfjs/types';
import jsonld from 'jsonld';
import { DataFactory, Parser } from 'n3';
import { type ParseError, parse as locateJsonErrors, printParseErrorCode } from 'jsonc-parser';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { KatalogError, RdfSyntaxError } from './errors.js';
import type { FormatId } from './media-types.js';

const { quad, namedNode, blankNode, literal, defaultGraph } = DataFactory;

export interface ParseOptions {
  /** Base IRI for relative IRIs. */
  baseIRI: string;
  /** JSON-LD contexts that may be referenced by URL, served from memory; any other URL is refused. */
  knownContexts?: Record<string, unknown>;
  /** Deepest nesting of JSON objects and arrays accepted in JSON-LD (refused with invalid-request). */
  maxJsonDepth?: number;
}

const N3_FORMATS: Partial<Record<FormatId, string>> = {
  turtle: 'Turtle',
  trig: 'TriG',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
};

/**
 * Parses a document into quads. Guarantees: a syntax error throws RdfSyntaxError with the 1-based
 * line and column where it can be located; nothing is ever fetched from the network (remote JSON-LD
 * contexts and XML DOCTYPE/entity declarations are refused).
 */
export async function parseRdf(text: string, format: FormatId, options: ParseOptions): Promise<Quad[]> {
  if (format === 'jsonld') return parseJsonLd(text, options);
  if (format === 'rdfxml') return parseRdfXml(text, options.baseIRI);
  return parseN3(text, N3_FORMATS[format]!, options.baseIRI);
}

function parseN3(text: string, format: string, baseIRI: string): Quad[] {
  try {
    return new Parser({ format, baseIRI }).parse(text) as Quad[];
  } catch (error) {
    const e = error as Error & { context?: { line?: number; token?: { start?: number }; previousToken?: { end?: number } } };
    const line = e.context?.line;
    const start = e.context?.token?.start ?? e.context?.previousToken?.end;
    throw new RdfSyntaxError(e.message, line, start === undefined ? undefined : start + 1);
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

async function parseJsonLd(text: string, options: ParseOptions): Promise<Quad[]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; jsonc-parser (strict settings) finds the offset.
    const errors: ParseError[] = [];
    locateJsonErrors(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const at = first ? lineAndColumn(text, first.offset) : undefined;
    const reason = first ? printParseErrorCode(first.error) : (error as Error).message;
    throw new RdfSyntaxError(`Invalid JSON: ${reason}${at ? ` on line ${at.line}, column ${at.column}` : ''}.`, at?.line, at?.column);
  }
  if (options.maxJsonDepth !== undefined && jsonDepth(document) > options.maxJsonDepth) {
    throw new KatalogError('invalid-request', `The JSON-LD document nests deeper than ${options.maxJsonDepth} levels.`);
  }
  const known = options.knownContexts ?? {};
  const documentLoader = async (url: string) => {
    if (url in known) return { contextUrl: undefined, documentUrl: url, document: known[url] };
    throw new KatalogError(
      'invalid-request',
      `The JSON-LD @context ${url} is not loaded: Katalog never fetches remote contexts. Put the context inline, or use one of: ${Object.keys(known).join(', ') || 'none'}.`,
    );
  };
  let dataset: JsonLdQuad[];
  try {
    dataset = (await jsonld.toRDF(document as jsonld.JsonLdDocument, {
      base: options.baseIRI,
      documentLoader,
      produceGeneralizedRdf: false,
    } as jsonld.Options.ToRdf)) as unknown as JsonLdQuad[];
  } catch (error) {
    throw translateJsonLdError(error);
  }
  return dataset.map((q) => quad(toTerm(q.subject) as never, toTerm(q.predicate) as never, toTerm(q.object) as never, defaultGraph()));
}

/** Nesting depth of a JSON value, without recursion (so a hostile document cannot overflow the stack). */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return deepest;
}

interface JsonLdTerm {
  termType: string;
  value: string;
  language?: string;
  datatype?: { value: string };
}
interface JsonLdQuad {
  subject: JsonLdTerm;
  predicate: JsonLdTerm;
  object: JsonLdTerm;
}

function toTerm(t: JsonLdTerm): Term {
  if (t.termType === 'NamedNode') return namedNode(t.value);
  if (t.termType === 'BlankNode') return blankNode(t.value.replace(/^_:/, ''));
  return literal(t.value, t.language || (t.datatype ? namedNode(t.datatype.value) : undefined));
}

function translateJsonLdError(error: unknown): KatalogError {
  // jsonld.js wraps loader failures; find our own error in the cause chain first.
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof KatalogError) return e;
    const next = (e as { details?: { cause?: unknown }; cause?: unknown }).details?.cause ?? (e as { cause?: unknown }).cause;
    e = next;
  }
  const err = error as { message?: string; details?: { code?: string } };
  const code = err.details?.code ? ` (${err.details.code})` : '';
  return new RdfSyntaxError(`Invalid JSON-LD: ${err.message ?? String(error)}${code}`);
}

const XML_DECLARATIONS = /<!(DOCTYPE|ENTITY)/i;

async function parseRdfXml(text: string, baseIRI: string): Promise<Quad[]> {
  const declaration = XML_DECLARATIONS.exec(text);
  if (declaration) {
    const at = lineAndColumn(text, declaration.index);
    throw new RdfSyntaxError(
      `RDF/XML with a <!${declaration[1]!.toUpperCase()}> declaration is refused: DOCTYPE and entity declarations are not expanded.`,
      at.line,
      at.column,
    );
  }
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI, trackPosition: true, dataFactory: DataFactory as never });
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', (error: Error) => {
      const m = /Line (\d+) column (\d+)/.exec(error.message) ?? /^(\d+):(\d+):/.exec(error.message);
      reject(new RdfSyntaxError(error.message, m ? Number(m[1]) : undefined, m ? Number(m[2]) : undefined));
    });
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}
