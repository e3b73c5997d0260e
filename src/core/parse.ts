import type { Quad, Term } from '@rdfjs/types';
import jsonld from 'jsonld';
// jsonld.js's own context resolver, given per document so that no cache is shared between requests.
// @ts-expect-error: no type declarations for this module of jsonld.js
import ContextResolver from 'jsonld/lib/ContextResolver.js';
import { DataFactory, Parser } from 'n3';
import { type ParseError, parse as locateJsonErrors, printParseErrorCode } from 'jsonc-parser';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { budgetedFactory, clip, InputBudget, type InputLimits, tooLarge, TRUSTED_LIMITS } from './budgets.js';
import { KatalogError, RdfSyntaxError } from './errors.js';
import type { FormatId } from './media-types.js';

const { quad, namedNode, blankNode, literal, defaultGraph } = DataFactory;

export interface ParseOptions {
  /** Base IRI for relative IRIs. */
  baseIRI: string;
  /** JSON-LD contexts that may be referenced by URL, served from memory; any other URL is refused. */
  knownContexts?: Record<string, unknown>;
  /** What the document may cost (413 at the first bound exceeded); none: TRUSTED_LIMITS. */
  limits?: InputLimits;
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
  const limits = options.limits ?? TRUSTED_LIMITS;
  if (format === 'jsonld') return parseJsonLd(text, options, limits);
  const budget = new InputBudget(limits);
  if (format === 'rdfxml') return parseRdfXml(text, options.baseIRI, budget);
  return parseN3(text, N3_FORMATS[format]!, options.baseIRI, budget);
}

/** n3's parser keeps one context per open [ ] or ( ); its depth is the nesting of the document. */
interface N3ParserInternals {
  _saveContext: (...args: unknown[]) => void;
  _contextStack: unknown[];
  /** Where the lexer is: read only to place an error the parser itself fails on. */
  _lexer?: { _line?: number; previousToken?: { line?: number; start?: number } };
}

function parseN3(text: string, format: string, baseIRI: string, budget: InputBudget): Quad[] {
  const parser = new Parser({ format, baseIRI, factory: budgetedFactory(budget) as never });
  const internals = parser as unknown as N3ParserInternals;
  const saveContext = internals._saveContext.bind(parser);
  internals._saveContext = (...args: unknown[]) => {
    budget.depth(internals._contextStack.length + 1);
    saveContext(...args);
  };
  try {
    return parser.parse(text) as Quad[];
  } catch (error) {
    if (error instanceof KatalogError) throw error;
    const e = error as N3SyntaxError;
    if (e.context === undefined) {
      // Not one of n3's syntax errors but n3 failing on the input (an ill-formed IRI in a @prefix
      // makes it read a property of undefined): placed at the token the lexer read last.
      const line = internals._lexer?._line;
      const last = internals._lexer?.previousToken;
      const column = last?.line === line && last?.start !== undefined ? last.start + 1 : undefined;
      throw new RdfSyntaxError(
        `The document cannot be read${line === undefined ? '' : ` on line ${line}`}: check the syntax${column === undefined ? ' there' : ` from column ${column} on`}, the IRIs above all.`,
        line,
        column,
      );
    }
    const line = e.context.line;
    const column = n3Column(text, e);
    // The lexer quotes the run of characters up to the next white space, so a stray white space
    // character that Turtle does not allow (U+000B, U+00A0, ...) comes out as 'Unexpected ""'.
    const stray =
      line !== undefined && column !== undefined && /^Unexpected "" on line/.test(e.message) ? lineOf(text, line).codePointAt(column - 1) : undefined;
    const message =
      stray === undefined
        ? clip(e.message, 300)
        : `Unexpected character U+${stray.toString(16).toUpperCase().padStart(4, '0')} on line ${line}, column ${column}: between terms only spaces, tabs and line breaks are allowed.`;
    throw new RdfSyntaxError(message, line, column);
  }
}

type N3SyntaxError = Error & { context?: { line?: number; token?: { start?: number }; previousToken?: { line?: number; endLine?: number; end?: number } } };

/**
 * The 1-based column of an n3 syntax error. The parser's errors carry their token; the lexer's
 * ("Unexpected "<x" on line 3.") only the line and the token before, which may be on an earlier
 * line: there the column is where the unexpected text stands on the error's line.
 */
function n3Column(text: string, e: N3SyntaxError): number | undefined {
  const { line, token, previousToken } = e.context ?? {};
  if (token?.start !== undefined) return token.start + 1;
  if (line === undefined) return undefined;
  const sameLine = previousToken !== undefined && (previousToken.endLine ?? previousToken.line) === line;
  const from = sameLine ? (previousToken.end ?? 0) : 0;
  const issue = /^Unexpected "([\s\S]*)" on line \d+\.$/.exec(e.message)?.[1];
  if (issue !== undefined) {
    const rest = lineOf(text, line).slice(from);
    // An empty issue is a white space character Turtle does not allow: the first that is not a space or a tab.
    const offset = issue === '' ? rest.search(/[^ \t]/) : rest.indexOf(issue.slice(0, 40));
    if (offset >= 0) return from + offset + 1;
  }
  return sameLine && previousToken.end !== undefined ? previousToken.end + 1 : undefined;
}

/** The text of the 1-based `line` ('' past the end), lines ending as n3 counts them: \r\n, \n or \r. */
function lineOf(text: string, line: number): string {
  const breaks = /\r\n|\n|\r/g;
  let start = 0;
  for (let n = 1; n < line; n++) {
    if (!breaks.exec(text)) return '';
    start = breaks.lastIndex;
  }
  const end = breaks.exec(text);
  return text.slice(start, end ? end.index : text.length);
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

async function parseJsonLd(text: string, options: ParseOptions, limits: InputLimits): Promise<Quad[]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; jsonc-parser (strict settings) finds the offset.
    const errors: ParseError[] = [];
    locateJsonErrors(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const at = first ? lineAndColumn(text, first.offset) : undefined;
    const reason = first ? printParseErrorCode(first.error) : clip((error as Error).message);
    throw new RdfSyntaxError(`Invalid JSON: ${reason}${at ? ` on line ${at.line}, column ${at.column}` : ''}.`, at?.line, at?.column);
  }
  scanJson(document, limits);
  // Each request gets its own context resolver (jsonld.js shares one cache between documents by
  // default, which one document can fill or poison for the next) and its own copy of every known
  // context (jsonld.js may change the objects it is given).
  const known = new Map(Object.entries(options.knownContexts ?? {}).map(([url, context]) => [url, JSON.stringify(context)]));
  const documentLoader = async (url: string) => {
    const context = known.get(url);
    if (context !== undefined) return { contextUrl: undefined, documentUrl: url, document: JSON.parse(context) };
    throw new KatalogError(
      'invalid-request',
      `The JSON-LD @context ${clip(url)} is not loaded: Katalog never fetches remote contexts. Put the context inline, or use one of: ${[...known.keys()].join(', ') || 'none'}.`,
    );
  };
  const jsonldOptions = () => ({ base: options.baseIRI, documentLoader, contextResolver: new ContextResolver({ sharedCache: new Map() }) });
  let dataset: JsonLdQuad[];
  try {
    const expanded = await jsonld.expand(document as jsonld.JsonLdDocument, jsonldOptions() as jsonld.Options.Expand);
    chargeExpanded(expanded, limits);
    dataset = (await jsonld.toRDF(
      expanded as jsonld.JsonLdDocument,
      { ...jsonldOptions(), produceGeneralizedRdf: false } as jsonld.Options.ToRdf,
    )) as unknown as JsonLdQuad[];
  } catch (error) {
    throw translateJsonLdError(error);
  }
  const budget = new InputBudget(limits, limits.maxJsonLdValuesPerProperty);
  return dataset.map((q) => {
    const subject = toTerm(q.subject, budget);
    const predicate = toTerm(q.predicate, budget);
    budget.triple(subject, predicate);
    return quad(subject as never, predicate as never, toTerm(q.object, budget) as never, defaultGraph());
  });
}

/**
 * Bounds a JSON-LD document before jsonld.js sees it, without recursion (so that no document can
 * overflow the stack): nesting depth, array length and the number of @context objects.
 */
function scanJson(value: unknown, limits: InputLimits): void {
  let contexts = 0;
  // [value, depth, whether it is the value of a property (so its array length is bounded)]
  const stack: Array<[unknown, number, boolean]> = [[value, 1, false]];
  while (stack.length > 0) {
    const [v, depth, ofProperty] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) throw tooLarge(`The JSON-LD document nests deeper than ${limits.maxDepth} levels.`, 'maxDepth', limits.maxDepth);
    if (Array.isArray(v)) {
      if (ofProperty && v.length > limits.maxJsonLdValuesPerProperty) {
        throw tooLarge(
          `A JSON-LD property holds ${v.length} values; at most ${limits.maxJsonLdValuesPerProperty} are accepted on one property.`,
          'maxValuesPerProperty',
          limits.maxJsonLdValuesPerProperty,
        );
      }
      for (const child of v) stack.push([child, depth + 1, false]);
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (key === '@context' && ++contexts > limits.maxJsonLdContexts) {
        throw tooLarge(`The JSON-LD document has more than ${limits.maxJsonLdContexts} @context entries.`, 'maxJsonLdContexts', limits.maxJsonLdContexts);
      }
      // The nodes of a document (@graph, @included) are not values of one property.
      stack.push([child, depth + 1, key !== '@graph' && key !== '@included']);
    }
  }
}

/**
 * jsonld.js merges the values of one subject's property by comparing each new value with every
 * value already there, so a document costs the sum of the squares of its values per subject and
 * property. Allow about as much as two properties at the per-property bound.
 */
const JSONLD_MERGE_COMPARISONS = 8_000_000;

/**
 * Charges an expanded JSON-LD document to the budget before it is turned into triples: values per
 * subject and property (node objects with the same @id count together, as they are merged), their
 * squares (see JSONLD_MERGE_COMPARISONS), and the values in all (at least one triple each).
 */
function chargeExpanded(expanded: unknown, limits: InputLimits): void {
  const budget = new InputBudget(limits, limits.maxJsonLdValuesPerProperty);
  const counts = new Map<string, number>();
  let comparisons = 0;
  let values = 0;
  let anonymous = 0;
  const charge = (key: string, property: string, n: number) => {
    const k = key + '\u0000' + property;
    const before = counts.get(k) ?? 0;
    counts.set(k, before + n);
    comparisons += (before + n) ** 2 - before ** 2;
    values += n;
    for (let i = 0; i < n; i++) budget.value(key, property);
    if (values > limits.maxTriples) {
      throw tooLarge(`The document holds more than ${limits.maxTriples} triples, the most accepted in one request.`, 'maxTriples', limits.maxTriples);
    }
    if (comparisons > JSONLD_MERGE_COMPARISONS) {
      throw tooLarge(
        'The JSON-LD document repeats too many values on the same subjects and properties to be processed in one request: send it as Turtle or N-Triples, or in parts.',
        'maxValuesPerProperty',
        limits.maxJsonLdValuesPerProperty,
      );
    }
  };
  const stack: unknown[] = [expanded];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const child of v) stack.push(child);
      continue;
    }
    if (v === null || typeof v !== 'object' || '@value' in v) continue;
    const node = v as Record<string, unknown>;
    if ('@list' in node || '@set' in node) {
      const items = (node['@list'] ?? node['@set']) as unknown[];
      values += 2 * (Array.isArray(items) ? items.length : 1);
      stack.push(items);
      continue;
    }
    const key = typeof node['@id'] === 'string' ? node['@id'] : `_:anonymous${anonymous++}`;
    for (const [property, value] of Object.entries(node)) {
      if (property === '@id') continue;
      if (property === '@reverse' && value && typeof value === 'object') {
        for (const [reverse, nodes] of Object.entries(value)) {
          for (const n of Array.isArray(nodes) ? nodes : [nodes]) {
            const id =
              n && typeof n === 'object' && typeof (n as { '@id'?: unknown })['@id'] === 'string'
                ? (n as { '@id': string })['@id']
                : `_:anonymous${anonymous++}`;
            charge(id, reverse, 1);
          }
          stack.push(nodes);
        }
        continue;
      }
      const list = Array.isArray(value) ? value : [value];
      if (property !== '@graph' && property !== '@included') charge(key, property, list.length);
      stack.push(list);
    }
  }
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

function toTerm(t: JsonLdTerm, budget: InputBudget): Term {
  if (t.termType === 'NamedNode') {
    budget.iri(t.value);
    return namedNode(t.value);
  }
  if (t.termType === 'BlankNode') return blankNode(t.value.replace(/^_:/, ''));
  budget.literal(t.value);
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
  const err = error as { name?: string; message?: string; details?: { code?: string } };
  // jsonld.js's own errors (name "jsonld.SyntaxError" ...) describe the document; anything else
  // is the library tripping over it, and its text would mean nothing to the sender.
  if (typeof err.name === 'string' && err.name.startsWith('jsonld.')) {
    const code = err.details?.code ? ` (${err.details.code})` : '';
    return new RdfSyntaxError(`Invalid JSON-LD: ${clip(err.message ?? '', 300)}${code}.`);
  }
  return new RdfSyntaxError(
    'The JSON-LD document could not be processed: check its @context (terms, @import, scoped contexts) and that every @id and @type is a string.',
  );
}

const XML_DECLARATIONS = /<!(DOCTYPE|ENTITY)/i;

/**
 * rdfxml-streaming-parser with its element nesting bounded: every open element (also inside
 * rdf:parseType="Literal") is on its tag stack, so its length is the depth.
 */
class BoundedRdfXmlParser extends RdfXmlParser {
  constructor(
    options: ConstructorParameters<typeof RdfXmlParser>[0],
    private readonly budget: InputBudget,
  ) {
    super(options);
  }

  protected override onTag(tag: Parameters<RdfXmlParser['onTag']>[0]): void {
    this.budget.depth((this as unknown as { activeTagStack: unknown[] }).activeTagStack.length + 1);
    super.onTag(tag);
  }
}

/**
 * The XML parser builds each attribute value in full before the data factory sees it, so an IRI of
 * megabytes in rdf:about would cost that many times over first: refuse any quoted value longer
 * than an IRI or literal may be, by one linear scan, before parsing.
 */
function refuseLongAttributes(text: string, budget: InputBudget): void {
  const longest = Math.max(budget.limits.maxIriLength, budget.limits.maxLiteralLength);
  let quote = '';
  let start = 0;
  let inTag = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c !== quote) continue;
      if (i - start > longest)
        throw tooLarge(
          `An XML attribute value of ${i - start} characters is longer than any IRI (${budget.limits.maxIriLength}) or literal (${budget.limits.maxLiteralLength}) accepted.`,
          'maxIriLength',
          budget.limits.maxIriLength,
        );
      quote = '';
    } else if (c === '<') inTag = true;
    else if (c === '>') inTag = false;
    else if (inTag && (c === '"' || c === "'")) {
      quote = c;
      start = i + 1;
    }
  }
}

async function parseRdfXml(text: string, baseIRI: string, budget: InputBudget): Promise<Quad[]> {
  const declaration = XML_DECLARATIONS.exec(text);
  if (declaration) {
    const at = lineAndColumn(text, declaration.index);
    throw new RdfSyntaxError(
      `RDF/XML with a <!${declaration[1]!.toUpperCase()}> declaration is refused: DOCTYPE and entity declarations are not expanded.`,
      at.line,
      at.column,
    );
  }
  refuseLongAttributes(text, budget);
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new BoundedRdfXmlParser({ baseIRI, trackPosition: true, dataFactory: budgetedFactory(budget) as never }, budget);
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', (error: Error) => {
      if (error instanceof KatalogError) return reject(error);
      // rdfxml-streaming-parser's own errors say "Line 3 column 7" (1-based); those of saxes, the
      // XML parser under it, "3:6: ..." with a 0-based column.
      const own = /Line (\d+) column (\d+)/.exec(error.message);
      const xml = own ? undefined : /^(\d+):(\d+):/.exec(error.message);
      const line = own?.[1] ?? xml?.[1];
      const column = own ? Number(own[2]) : xml ? Number(xml[2]) + 1 : undefined;
      reject(new RdfSyntaxError(clip(error.message, 300), line === undefined ? undefined : Number(line), column));
    });
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}
