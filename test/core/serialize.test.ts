import type { Quad } from '@rdfjs/types';
import { Parser, Writer } from 'n3';
import { describe, expect, it } from 'vitest';
import { assembleDocument, inChunks } from '../../src/core/documents.js';
import { KatalogError } from '../../src/core/errors.js';
import { formatById, FORMATS, type FormatId } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';
import { relabelBlankNodes, splitIntoRecords } from '../../src/core/records.js';
import { rdfXmlOf, renderRepresentations, type Representations } from '../../src/core/serialize/representations.js';
import { parseableExamples } from '../helpers/fixtures.js';
import { parseBack, sameGraph } from '../helpers/graphs.js';

async function write(format: FormatId, parts: Representations[]): Promise<string> {
  let text = '';
  for await (const piece of assembleDocument(formatById(format), parts)) text += piece;
  return text;
}

/** The records of a graph, rendered as they are stored. */
function partsOf(quads: Quad[]): Representations[] {
  const { records, remainder, sharedBlankNodes } = splitIntoRecords(relabelBlankNodes(quads, 't'));
  const parts = records.map((r) => renderRepresentations(r.quads, r.root, sharedBlankNodes));
  if (remainder.length > 0) parts.push(renderRepresentations(remainder));
  return parts;
}

describe('writing every syntax', () => {
  for (const example of parseableExamples()) {
    it(`writes ${example.name} in all six syntaxes, each parsing back to the input graph`, async () => {
      const input = await parseRdf(example.text, example.format.id, { baseIRI: 'http://example.com/' });
      const parts = partsOf(input);
      for (const format of FORMATS) {
        const back = await parseBack(await write(format.id, parts), format.id);
        expect(sameGraph(back, input), `${format.id} of ${example.name}`).toBe(true);
      }
    });
  }

  it('writes Turtle that is the same graph as n3 Writer writes', async () => {
    for (const example of parseableExamples().slice(0, 6)) {
      const input = await parseRdf(example.text, example.format.id, { baseIRI: 'http://example.com/' });
      const oracle = new Writer({ format: 'Turtle' }).quadsToString(input);
      const ours = await write('turtle', partsOf(input));
      expect(sameGraph(new Parser().parse(ours), new Parser().parse(oracle)), example.name).toBe(true);
    }
  });

  const tricky = `@prefix ex: <http://ex/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:s a ex:Thing ;
  ex:quote "She said \\"hei\\" & <left>" ;
  ex:lines """first line
second line\\r\\nthird\\ttabbed""" ;
  ex:unicode "Blåbær på fjellet ✓ 𝄞"@nb ;
  ex:tagged "Colour"@en-GB ;
  ex:date "2024-01-31"^^xsd:date ;
  ex:number "42"^^xsd:integer ;
  ex:odd "x"^^<http://ex/types#custom> ;
  ex:iri <http://ex/a%20b?c=d&e=f#g> ;
  <http://ex/path/with.dot> "dot" ;
  <urn:x-local:weird> "no prefix" ;
  ex:nested [ ex:deeper [ ex:deepest "bottom" ] ] .
_:loop ex:next _:other . _:other ex:next _:loop .`;

  it('escapes literals, IRIs and nests blank nodes so that every syntax round-trips', async () => {
    const input = await parseRdf(tricky, 'turtle', { baseIRI: 'http://example.com/' });
    const parts = [renderRepresentations(input)];
    for (const format of FORMATS) {
      const back = await parseBack(await write(format.id, parts), format.id);
      expect(sameGraph(back, input), format.id).toBe(true);
    }
  });

  it('nests blank nodes used once and labels only what breaks a cycle', () => {
    const input = new Parser().parse(tricky);
    const { ttl } = renderRepresentations(input);
    // The cycle _:loop -> _:other -> _:loop needs one label, written where the node is described
    // and where the nested node points back to it; the three nested nodes need none.
    const labels = ttl.match(/_:[A-Za-z0-9_-]+/g) ?? [];
    expect(new Set(labels).size).toBe(1);
    expect(labels).toHaveLength(2);
    expect(ttl.match(/\[/g)).toHaveLength(3);
  });

  it('compacts JSON-LD against the context: terms for known properties and classes', async () => {
    const input = await parseRdf(
      `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
       <http://ex/d> a dcat:Dataset ; dct:title "Tittel"@nb ; dcat:theme <http://ex/theme> ; dct:format "CSV" ;
         dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://ex/f.csv> ] .`,
      'turtle',
      { baseIRI: 'http://example.com/' },
    );
    const node = JSON.parse(renderRepresentations(input).jsonld) as Record<string, unknown>;
    expect(node).toMatchObject({
      id: 'http://ex/d',
      type: 'Dataset',
      title: { '@value': 'Tittel', '@language': 'nb' },
      theme: 'http://ex/theme',
      'dct:format': 'CSV',
      distribution: { type: 'Distribution', accessURL: 'http://ex/f.csv' },
    });
  });

  it('writes a blank node with triples of its own that is the object of rdf:type, in JSON-LD too', async () => {
    // From the W3C RDF/XML suite (rdfms-seq-representation-test001): `type` can only refer to a node.
    const input = new Parser().parse('<http://ex/eric> a [ <http://ex/intersectionOf> ( <http://ex/Person> <http://ex/Male> ) ] .');
    const back = await parseBack(await write('jsonld', [renderRepresentations(input)]), 'jsonld');
    expect(sameGraph(back, input)).toBe(true);
  });

  it('refuses to write a control character in RDF/XML instead of writing broken XML', () => {
    const input = new Parser().parse('<http://ex/s> <http://ex/p> "bell\\u0007" .');
    expect(() => rdfXmlOf(renderRepresentations(input).nt)).toThrow(KatalogError);
  });

  it('keeps a document whole when one of its records cannot be written in RDF/XML, leaving that record out', async () => {
    const bad = renderRepresentations(new Parser().parse('<http://ex/s> <http://ex/p> "bell\\u0007" .'));
    const good = renderRepresentations(new Parser().parse('<http://ex/t> <http://ex/p> "fine" .'));
    const body = await write('rdfxml', [good, bad, good]);
    expect(body.trimEnd().endsWith('</rdf:RDF>')).toBe(true);
    expect(sameGraph(await parseBack(body, 'rdfxml'), new Parser().parse('<http://ex/t> <http://ex/p> "fine" .'))).toBe(true);
  });
});

describe('streaming a document in chunks', () => {
  it('joins small pieces into chunks of at least the given size, keeping every character in order', async () => {
    async function* pieces() {
      for (let i = 0; i < 1000; i++) yield `piece ${i};`;
    }
    const chunks: string[] = [];
    for await (const chunk of inChunks(pieces(), 1000)) chunks.push(chunk);
    expect(chunks.join('')).toBe(Array.from({ length: 1000 }, (_, i) => `piece ${i};`).join(''));
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.slice(0, -1).every((c) => c.length >= 1000 && c.length < 1020)).toBe(true);
  });
});
