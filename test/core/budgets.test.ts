import type { Quad } from '@rdfjs/types';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { KatalogError } from '../../src/core/errors.js';
import { CONTEXT_DOCUMENT } from '../../src/core/jsonld-context.js';
import type { FormatId } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';
import { termToNt } from '../../src/core/rdf-terms.js';
import { splitIntoRecords } from '../../src/core/records.js';
import { layOut, MAX_NESTING } from '../../src/core/serialize/layout.js';
import { renderRepresentations } from '../../src/core/serialize/representations.js';
import { TURTLE_PREFIXES } from '../../src/core/serialize/turtle.js';
import { parseBack, sameGraph } from '../helpers/graphs.js';

const limits = readConfig({}).limits;
const CONTEXT = 'http://katalog.test/context.jsonld';
const options = { baseIRI: 'http://katalog.test/', knownContexts: { [CONTEXT]: CONTEXT_DOCUMENT }, limits };
const P = '@prefix dct: <http://purl.org/dc/terms/> . @prefix dcat: <http://www.w3.org/ns/dcat#> .\n';
const RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/"';

/** Parses under the default bounds; resolves to the error's code and bound, or to the triple count. */
async function outcome(text: string, format: FormatId): Promise<{ code?: string; bound?: unknown; triples?: number; ms: number }> {
  const started = performance.now();
  try {
    const quads = await parseRdf(text, format, options);
    return { triples: quads.length, ms: performance.now() - started };
  } catch (error) {
    expect(error).toBeInstanceOf(KatalogError);
    const e = error as KatalogError;
    expect(e.message.length).toBeLessThan(400);
    return { code: e.code, bound: e.extensions.bound, ms: performance.now() - started };
  }
}

describe('bounds checked while parsing', () => {
  it.each([
    ['Turtle nested 5,000 deep', P + '<http://x/a> dct:relation ' + '[ dct:relation '.repeat(5000) + '"x"' + ' ]'.repeat(5000) + ' .', 'turtle', 'maxDepth'],
    ['a Turtle collection of 1.5 million items', P + '<http://x/a> dct:relation (' + ' 1'.repeat(1_500_000) + ' ) .', 'turtle', 'maxTriples'],
    [
      '49,000 keywords on one dataset',
      P + '<http://x/a> dcat:keyword ' + Array.from({ length: 49_000 }, (_, i) => `"k${i}"`).join(', ') + ' .',
      'turtle',
      'maxValuesPerProperty',
    ],
    ['a 100,000-character IRI', P + `<http://x/a> dct:language <http://x/${'a'.repeat(100_000)}> .`, 'turtle', 'maxIriLength'],
    ['a 200,000-character literal', `<http://x/a> <http://x/p> "${'a'.repeat(200_000)}" .`, 'ntriples', 'maxLiteralLength'],
    [
      'a JSON-LD property with 100,000 integers',
      JSON.stringify({ '@id': 'http://x/a', 'http://p/v': Array.from({ length: 100_000 }, (_, i) => i) }),
      'jsonld',
      'maxValuesPerProperty',
    ],
    [
      'one JSON-LD subject in 100 node objects of 1,000 values',
      JSON.stringify({
        '@graph': Array.from({ length: 100 }, (_, n) => ({ '@id': 'http://x/a', 'http://p/v': Array.from({ length: 1000 }, (_, i) => n * 1000 + i) })),
      }),
      'jsonld',
      'maxValuesPerProperty',
    ],
    [
      '20,000 JSON-LD nodes with inline contexts',
      JSON.stringify({ '@graph': Array.from({ length: 20_000 }, (_, i) => ({ '@context': { t: 'http://p/t' + i }, '@id': 'http://x/' + i, t: 'v' })) }),
      'jsonld',
      'maxJsonLdContexts',
    ],
    ['JSON nested 1,000 deep', '['.repeat(1000) + ']'.repeat(1000), 'jsonld', 'maxDepth'],
    [
      'RDF/XML parseType="Literal" nested 200,000 deep',
      `<rdf:RDF ${RDF}><rdf:Description rdf:about="http://x/a"><ex:p rdf:parseType="Literal">${'<ex:a>'.repeat(200_000)}${'</ex:a>'.repeat(200_000)}</ex:p></rdf:Description></rdf:RDF>`,
      'rdfxml',
      'maxDepth',
    ],
    [
      'rdf:Description nested 20,000 deep',
      `<rdf:RDF ${RDF}>${'<rdf:Description><ex:p>'.repeat(20_000)}x${'</ex:p></rdf:Description>'.repeat(20_000)}</rdf:RDF>`,
      'rdfxml',
      'maxDepth',
    ],
    [
      'a 9 MB IRI in RDF/XML',
      `<rdf:RDF ${RDF}><rdf:Description rdf:about="http://x/${'a'.repeat(9_000_000)}"><ex:p>x</ex:p></rdf:Description></rdf:RDF>`,
      'rdfxml',
      'maxIriLength',
    ],
  ] as const)('refuses %s with payload-too-large naming the bound, quickly', async (_name, text, format, bound) => {
    const result = await outcome(text, format);
    expect(result).toMatchObject({ code: 'payload-too-large', bound });
    expect(result.ms).toBeLessThan(2000);
  });

  it('accepts documents just inside the bounds', async () => {
    expect((await outcome(P + '<http://x/a> dcat:keyword ' + Array.from({ length: 9_000 }, (_, i) => `"k${i}"`).join(', ') + ' .', 'turtle')).triples).toBe(
      9_000,
    );
    expect((await outcome(JSON.stringify({ '@id': 'http://x/a', 'http://p/v': Array.from({ length: 1_500 }, (_, i) => i) }), 'jsonld')).triples).toBe(1_500);
    expect((await outcome(P + '<http://x/a> dct:relation ' + '[ dct:relation '.repeat(60) + '"x"' + ' ]'.repeat(60) + ' .', 'turtle')).triples).toBe(61);
    const graph = JSON.stringify({ '@graph': Array.from({ length: 20_000 }, (_, i) => ({ '@id': `http://x/${i}`, 'http://p/t': 'v' })) });
    expect((await outcome(graph, 'jsonld')).triples).toBe(20_000);
  });

  it('refuses more records than a request may hold, and copies of shared nodes beyond the bound', async () => {
    const many = await parseRdf(P + Array.from({ length: 30 }, (_, i) => `<http://x/d${i}> a dcat:Dataset .`).join('\n'), 'turtle', options);
    expect(() => splitIntoRecords(many, { maxRecords: 20 })).toThrow(expect.objectContaining({ code: 'payload-too-large' }));
    const shared = await parseRdf(
      P +
        Array.from({ length: 100 }, (_, i) => `<http://x/d${i}> a dcat:Dataset ; dct:spatial _:big .`).join('\n') +
        '\n_:big dct:title ' +
        Array.from({ length: 100 }, (_, i) => `"t${i}"`).join(', ') +
        ' .',
      'turtle',
      options,
    );
    expect(() => splitIntoRecords(shared, { maxCopiedTriples: 5_000 })).toThrow(expect.objectContaining({ code: 'payload-too-large' }));
    expect(splitIntoRecords(shared, { maxCopiedTriples: 20_000 }).records).toHaveLength(100);
  });
});

describe('JSON-LD processing isolated per document', () => {
  it('keeps our context working after a document @imports it, and after hundreds of inline contexts', async () => {
    const ours = JSON.stringify({ '@context': CONTEXT, '@id': 'http://x/a', title: { '@value': 'Tittel', '@language': 'nb' } });
    const before = await parseRdf(ours, 'jsonld', options);
    expect(before).toHaveLength(1);
    await parseRdf(JSON.stringify({ '@context': { '@import': CONTEXT }, '@id': 'http://x/b', title: 'x' }), 'jsonld', options);
    for (let i = 0; i < 300; i++) await parseRdf(JSON.stringify({ '@context': { t: `http://p/t${i}` }, '@id': `http://x/${i}`, t: 'v' }), 'jsonld', options);
    expect(sameGraph(await parseRdf(ours, 'jsonld', options), before)).toBe(true);
  });

  it('refuses a remote context and a remote @import without fetching, and translates library failures', async () => {
    for (const context of ['https://example.org/context.jsonld', { '@import': 'https://example.org/context.jsonld' }]) {
      await expect(parseRdf(JSON.stringify({ '@context': context, '@id': 'http://x/a' }), 'jsonld', options)).rejects.toMatchObject({
        code: 'invalid-request',
      });
    }
    const error = (await parseRdf(JSON.stringify({ '@context': { '@version': 2 } }), 'jsonld', options).catch((e: unknown) => e)) as KatalogError;
    expect(error.code).toBe('rdf-syntax');
    expect(error.message).toMatch(/^(Invalid JSON-LD|The JSON-LD document could not be processed)/);
    expect(error.message).not.toMatch(/Cannot read properties|undefined/);
  });
});

/**
 * A graph whose blank nodes each carry a distinct dct:identifier, as sorted lines with every blank
 * node named by its identifier: equal exactly when the graphs are isomorphic (a general
 * isomorphism check takes minutes on chains this long).
 */
function byIdentifier(quads: Quad[]): string[] {
  const names = new Map(quads.filter((q) => q.predicate.value === 'http://purl.org/dc/terms/identifier').map((q) => [q.subject.value, q.object.value]));
  const name = (t: Quad['subject'] | Quad['object']) => (t.termType === 'BlankNode' ? `_:${names.get(t.value)}` : termToNt(t));
  return quads.map((q) => `${name(q.subject)} <${q.predicate.value}> ${name(q.object)}`).sort();
}

describe('writers never recurse without bound', () => {
  it('writes a blank-node chain 5,000 deep and a cycle of 40,000 blank nodes in every syntax, parsing back to the same graph', async () => {
    const chain = Array.from(
      { length: 5000 },
      (_, i) => `_:c${i} <http://purl.org/dc/terms/relation> _:c${i + 1} . _:c${i} <http://purl.org/dc/terms/identifier> "${i}" .`,
    ).join('\n');
    // Each node of the cycle carries its number, so that comparing graphs need not search through
    // a symmetric cycle's automorphisms.
    const cycle = Array.from(
      { length: 40_000 },
      (_, i) => `_:y${i} <http://purl.org/dc/terms/relation> _:y${(i + 1) % 40_000} . _:y${i} <http://purl.org/dc/terms/identifier> "${i}" .`,
    ).join('\n');
    for (const text of [
      `<http://x/a> <http://purl.org/dc/terms/relation> _:c0 .\n${chain}`,
      `<http://x/a> <http://purl.org/dc/terms/relation> _:y0 .\n${cycle}`,
    ]) {
      const quads = await parseRdf(text, 'ntriples', { baseIRI: 'http://x/' });
      const layout = layOut(quads, '<http://x/a>');
      expect(layout.inline.size).toBeGreaterThan(0);
      expect(layout.topLevel.length).toBeGreaterThan(Math.floor(Math.min(quads.length, 5000) / (MAX_NESTING + 1)) - 1);
      const parts = renderRepresentations(quads);
      for (const format of ['ntriples', 'turtle', 'jsonld'] as const) {
        const body =
          format === 'ntriples'
            ? parts.nt
            : format === 'turtle'
              ? TURTLE_PREFIXES + parts.ttl
              : `{"@context": ${JSON.stringify(CONTEXT_DOCUMENT['@context'])}, "@graph": [${parts.jsonld}]}`;
        expect(byIdentifier(await parseBack(body, format)), format).toEqual(byIdentifier(quads));
      }
    }
  });
});
