/**
 * The engine beyond the W3C suite: the registry covers every SHACL Core component, shapes outside
 * SHACL Core are refused when they load, and what a data graph may cost stays bounded: closures over
 * cycles, recursive shapes over long chains, nested logical shapes, long property-pair lists.
 */
import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, validateGraph } from '../../../src/core/validation/engine.js';
import { compileShapes, ShapeError } from '../../../src/core/validation/shapes.js';
import { VocabularyIndex } from '../../../src/core/vocabularies.js';

const PREFIXES = '@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n';
const turtle = (text: string) => new Parser().parse(PREFIXES + text) as Quad[];
const validate = (shapes: string, data: Quad[] | string) =>
  validateGraph(typeof data === 'string' ? turtle(data) : data, compileShapes(turtle(shapes)), new VocabularyIndex([]));

const CORE_COMPONENTS = [
  'Class',
  'Datatype',
  'NodeKind',
  'MinCount',
  'MaxCount',
  'MinExclusive',
  'MinInclusive',
  'MaxExclusive',
  'MaxInclusive',
  'MinLength',
  'MaxLength',
  'Pattern',
  'LanguageIn',
  'UniqueLang',
  'Equals',
  'Disjoint',
  'LessThan',
  'LessThanOrEquals',
  'Not',
  'And',
  'Or',
  'Xone',
  'Node',
  'Property',
  'QualifiedMinCount',
  'QualifiedMaxCount',
  'Closed',
  'HasValue',
  'In',
].map((c) => `${c}ConstraintComponent`);

describe('the SHACL engine', () => {
  it('compiles every constraint component of SHACL Core', () => {
    const compiled = compileShapes(
      turtle(`
      ex:N a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:C ; sh:datatype xsd:string ; sh:nodeKind sh:IRI ; sh:minExclusive 1 ; sh:minInclusive 1 ;
        sh:maxExclusive 1 ; sh:maxInclusive 1 ; sh:minLength 1 ; sh:maxLength 1 ; sh:pattern "a" ; sh:languageIn ( "nb" ) ; sh:equals ex:p ; sh:disjoint ex:p ;
        sh:not ex:M ; sh:and ( ex:M ) ; sh:or ( ex:M ) ; sh:xone ( ex:M ) ; sh:node ex:M ; sh:closed true ; sh:hasValue ex:x ; sh:in ( ex:x ) ; sh:property ex:P .
      ex:P sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ; sh:uniqueLang true ; sh:lessThan ex:q ; sh:lessThanOrEquals ex:q ;
        sh:qualifiedValueShape ex:M ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 2 .
      ex:M a sh:NodeShape .`),
    );
    const used = new Set([...compiled.shapes.values()].flatMap((s) => s.constraints.map((c) => c.component)));
    expect([...used].sort()).toEqual([...CORE_COMPONENTS].sort());
  });

  it.each([
    ['SHACL-SPARQL', 'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select "SELECT $this {}" ] .', /sh:sparql.*SHACL Core only/],
    [
      'a misspelt parameter',
      'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:minCont 1 ] .',
      /sh:minCont, which is not a term of SHACL Core/,
    ],
    ['a path that is no path', 'ex:S a sh:PropertyShape ; sh:targetNode ex:x ; sh:path "p" .', /is not a SHACL path/],
    ['sh:minCount on a node shape', 'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:minCount 1 .', /sh:minCount needs a property shape/],
    ['a broken list', 'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:in ex:notAList .', /malformed RDF list/],
    ['a bad regular expression', 'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:pattern "(" .', /not a regular expression/],
  ])('refuses %s when the shapes load, naming it', (_what, shapes, message) => {
    expect(() => compileShapes(turtle(shapes))).toThrow(ShapeError);
    expect(() => compileShapes(turtle(shapes))).toThrow(message);
  });

  it('follows a zeroOrMore path around a cycle of 100,000 nodes once, reaching each node once', () => {
    const n = 100_000;
    const data = turtle(Array.from({ length: n }, (_, i) => `ex:n${i} ex:next ex:n${(i + 1) % n} .`).join('\n'));
    const report = validate('ex:S a sh:PropertyShape ; sh:targetNode ex:n0 ; sh:path [ sh:zeroOrMorePath ex:next ] ; sh:maxCount 99999 .', data);
    expect(report.results.map((r) => r.component)).toEqual(['MaxCountConstraintComponent']);
    const inverse = validate(
      'ex:S a sh:PropertyShape ; sh:targetNode ex:n0 ; sh:path [ sh:oneOrMorePath [ sh:inversePath ex:next ] ] ; sh:minCount 100001 .',
      data,
    );
    expect(inverse.results).toHaveLength(1);
  });

  it(`answers a recursive shape over a chain of 20,000 nodes without exhausting the stack (deeper than ${MAX_NESTING} does not conform)`, () => {
    const n = 20_000;
    const data = turtle(Array.from({ length: n }, (_, i) => `ex:n${i} a ex:Link ; ex:next ex:n${i + 1} .`).join('\n'));
    const shapes = 'ex:S a sh:NodeShape ; sh:targetNode ex:n0 ; sh:property [ sh:path ex:next ; sh:node ex:S ] .';
    const report = validate(shapes, data);
    expect(report.results.map((r) => r.component)).toEqual(['NodeConstraintComponent']);
    // A short chain and a cycle conform: the recursive reference being checked counts as conforming.
    expect(validate(shapes, 'ex:n0 ex:next ex:n1 . ex:n1 ex:next ex:n2 .').conforms).toBe(true);
    expect(validate(shapes, 'ex:n0 ex:next ex:n1 . ex:n1 ex:next ex:n0 .').conforms).toBe(true);
  });

  it('checks each (shape, node) pair once: 40 levels of sh:or over the same shape is linear, not 2^40', () => {
    const levels = Array.from({ length: 40 }, (_, i) => `ex:S${i} sh:or ( [ sh:node ex:S${i + 1} ] [ sh:node ex:S${i + 1} ] ) .`).join('\n');
    const report = validate(`ex:S0 a sh:NodeShape ; sh:targetNode ex:x . ${levels} ex:S40 sh:hasValue ex:y .`, 'ex:x ex:p 1 .');
    expect(report.results.map((r) => r.component)).toEqual(['OrConstraintComponent']);
  });

  it('compares 2,000 by 2,000 values of sh:lessThan in n log n, with at most 10 results per value node', () => {
    const values = (p: string, from: number) => Array.from({ length: 2000 }, (_, i) => `ex:x ex:${p} ${from + i} .`).join('\n');
    const report = validate('ex:S a sh:PropertyShape ; sh:targetNode ex:x ; sh:path ex:a ; sh:lessThan ex:b .', `${values('a', 1000)}\n${values('b', 0)}`);
    // a = 1000 + i fails against every b <= a: all 2,000 values of a fail, each capped at 10 pairs.
    expect(report.results).toHaveLength(20_000);
    expect(new Set(report.results.map((r) => r.value!.value)).size).toBe(2000);
  });

  it('names results after the IRI-named shape that holds a blank property shape, and reports complex paths in SPARQL syntax', () => {
    const report = validate(
      'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ] ) ; sh:minCount 1 ] .',
      'ex:x ex:a ex:y .',
    );
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({
      sourceShape: 'http://example.org/S',
      path: '<http://example.org/a>/^<http://example.org/b>',
      severity: 'Violation',
    });
    expect(report.results[0]!.shape.termType).toBe('BlankNode');
    expect(report.results[0]!.messages.en).toMatch(/at least 1 value/);
  });

  it("counts a severity of the shapes graph's own as a Violation and keeps its IRI for the report", () => {
    const report = validate('ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:nodeKind sh:Literal ; sh:severity ex:Blocker .', 'ex:x ex:p 1 .');
    expect(report.conforms).toBe(false);
    expect(report.results[0]).toMatchObject({ severity: 'Violation', severityIri: 'http://example.org/Blocker' });
  });
});
