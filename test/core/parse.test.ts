import { describe, expect, it } from 'vitest';
import { KatalogError, RdfSyntaxError } from '../../src/core/errors.js';
import type { FormatId } from '../../src/core/media-types.js';
import { parseRdf } from '../../src/core/parse.js';

const parse = (text: string, format: FormatId, knownContexts?: Record<string, unknown>) =>
  parseRdf(text, format, { baseIRI: 'http://example.com/', knownContexts });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

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
