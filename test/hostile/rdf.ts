/**
 * Reading the server's answers back with the libraries themselves (n3, jsonld.js,
 * rdfxml-streaming-parser), not with Katalog's own parser: a hostile case must not trust the code
 * it tests to say that its output parses.
 */
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { get, PUBLIC_BASE_URL } from './harness.js';

/** The ?format= values and the syntax each names. */
export const FORMATS = ['ttl', 'jsonld', 'nt', 'rdf', 'nq', 'trig'] as const;
export type Format = (typeof FORMATS)[number];

const N3_FORMATS: Record<Exclude<Format, 'jsonld' | 'rdf'>, string> = { ttl: 'Turtle', nt: 'N-Triples', nq: 'N-Quads', trig: 'TriG' };

/** The JSON-LD context the server's JSON-LD refers to, read from the server once per base. */
const contexts = new Map<string, unknown>();

async function contextOf(base: string): Promise<unknown> {
  if (!contexts.has(base)) {
    const r = await get(base, '/context.jsonld');
    if (r.status !== 200) throw new Error(`GET /context.jsonld: ${r.status}`);
    contexts.set(base, r.json());
  }
  return contexts.get(base);
}

/** Parses `text` in `format`; JSON-LD may refer to the server's context (served from memory). */
export async function parseText(text: string, format: Format, base: string): Promise<Quad[]> {
  if (format === 'jsonld') {
    const context = await contextOf(base);
    const documentLoader = async (url: string) => {
      if (url === `${PUBLIC_BASE_URL}/context.jsonld`) return { contextUrl: undefined, documentUrl: url, document: context };
      throw new Error(`the JSON-LD answer refers to ${url}`);
    };
    const quads = await jsonld.toRDF(JSON.parse(text), { documentLoader } as jsonld.Options.ToRdf);
    return quads as unknown as Quad[];
  }
  if (format === 'rdf') {
    return new Promise((resolve, reject) => {
      const quads: Quad[] = [];
      const parser = new RdfXmlParser({ baseIRI: 'http://example.com/' });
      parser.on('data', (q: Quad) => quads.push(q));
      parser.on('error', reject);
      parser.on('end', () => resolve(quads));
      parser.write(text);
      parser.end();
    });
  }
  return new Parser({ format: N3_FORMATS[format], baseIRI: 'http://example.com/' }).parse(text);
}
