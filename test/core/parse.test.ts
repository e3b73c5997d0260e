import { describe, expect, it } from 'vitest';
import { KatalogError, RdfSyntaxError } from '../../src/core/errors.js';
import type { FormatId } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';

const parse = (text: string, format: FormatId, knownContexts?: Record<string, unknown>) =>
  parseRdf(text, format, { baseIRI: 'http://example.com/', knownContexts });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('parsing RDF', () => {
  it('reads every syntax into the same triples', async () => {
    const expected = '<http://ex/s> <http://ex/p> "v"@nb .\n';
    const inputs: Array<[FormatId, string]> = [
      ['turtle', '@prefix ex: <http://ex/> . ex:s ex:p "v"@nb .'],
      ['ntriples', expected],
      ['nquads', expected],
      ['trig', '{ <http://ex/s> <http://ex/p> "v"@nb . }'],
      ['jsonld', '{"@id": "http://ex/s", "http://ex/p": {"@value": "v", "@language": "nb"}}'],
      [
        'rdfxml',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/"><rdf:Description rdf:about="http://ex/s"><ex:p xml:lang="nb">v</ex:p></rdf:Description></rdf:RDF>',
      ],
    ];
    for (const [format, text] of inputs) {
      const quads = await parse(text, format);
      expect(quads, format).toHaveLength(1);
      expect(quads[0]!.subject.value).toBe('http://ex/s');
      expect(quads[0]!.object.value).toBe('v');
    }
  });

  it('resolves relative IRIs against the base', async () => {
    const [q] = await parse('<datasets/x> <http://ex/p> <../y> .', 'turtle');
    expect(q!.subject.value).toBe('http://example.com/datasets/x');
  });

  it('names the line and column of a Turtle syntax error', async () => {
    const error = await failure(parse('@prefix ex: <http://ex/> .\nex:s ex:p ex:o ;\n   dct:title "x" .', 'turtle'));
    expect(error).toBeInstanceOf(RdfSyntaxError);
    expect(error).toMatchObject({ code: 'rdf-syntax', line: 3, column: 4 });
    expect((error as Error).message).toContain('dct:');
  });

  it('names the column of a Turtle error the lexer finds, where the unexpected text stands on its line', async () => {
    // The token before the error is on an earlier line (or there is none): the column is not its end.
    expect(await failure(parse('<@prefix ex: <http://ex/> .', 'turtle'))).toMatchObject({ code: 'rdf-syntax', line: 1, column: 1 });
    expect(await failure(parse('<http://ex/s> <http://ex/p>\n  <http://ex/o> .\n    ¤ <http://ex/p> <http://ex/o> .', 'turtle'))).toMatchObject({
      line: 3,
      column: 5,
    });
    expect(await failure(parse('<http://ex/s> <http://ex/p> "a" ¤ .', 'turtle'))).toMatchObject({ line: 1, column: 33 });
    // A white space character Turtle does not allow is named, not quoted as "".
    const stray = await failure(parse('<http://ex/s> <http://ex/p>\n  \u000b<http://ex/o> .', 'turtle'));
    expect(stray).toMatchObject({ line: 2, column: 3 });
    expect((stray as Error).message).toContain('U+000B');
  });

  it('answers input that n3 itself fails on (not with a syntax error) as a syntax error with its line, not a JavaScript message', async () => {
    const error = await failure(
      parse('@prefix ex: <http://ex/> .\n@prefix dcat: <]http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .', 'turtle'),
    );
    expect(error).toMatchObject({ code: 'rdf-syntax', line: 2, column: 9 });
    expect((error as Error).message).not.toMatch(/undefined|property/i);
  });

  it('names the line of an N-Triples syntax error', async () => {
    const error = await failure(parse('<http://ex/s> <http://ex/p> "ok" .\n<http://ex/s> <http://ex/p> "open .\n', 'ntriples'));
    expect(error).toMatchObject({ code: 'rdf-syntax', line: 2 });
  });

  it('names the line and column of a JSON syntax error in JSON-LD', async () => {
    const error = await failure(parse('{\n  "@id": "http://ex/s",\n  "http://ex/p": }\n', 'jsonld'));
    expect(error).toBeInstanceOf(RdfSyntaxError);
    expect(error).toMatchObject({ line: 3 });
    expect((error as RdfSyntaxError).column).toBeGreaterThan(1);
  });

  it('names the line and column of an RDF/XML syntax error', async () => {
    const error = await failure(
      parse('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description rdf:about="http://ex/s">\n</rdf:RDF>', 'rdfxml'),
    );
    expect(error).toBeInstanceOf(RdfSyntaxError);
    expect((error as RdfSyntaxError).line).toBe(3);
  });

  it('refuses a remote JSON-LD context without fetching it', async () => {
    const started = Date.now();
    const error = await failure(parse('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://ex/s", "title": "x"}', 'jsonld'));
    expect(error).toBeInstanceOf(KatalogError);
    expect(error).toMatchObject({ code: 'invalid-request' });
    expect((error as Error).message).toContain('never fetches');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('uses a known context from memory', async () => {
    const context = { '@context': { title: 'http://purl.org/dc/terms/title' } };
    const quads = await parse('{"@context": "http://k/context.jsonld", "@id": "http://ex/s", "title": "x"}', 'jsonld', {
      'http://k/context.jsonld': context,
    });
    expect(quads[0]!.predicate.value).toBe('http://purl.org/dc/terms/title');
  });

  it('refuses RDF/XML with a DOCTYPE or entity declaration and expands nothing', async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://ex/s"><rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>`;
    const error = await failure(parse(xml, 'rdfxml'));
    expect(error).toBeInstanceOf(RdfSyntaxError);
    expect(error).toMatchObject({ line: 2, column: 1 });
  });
});
