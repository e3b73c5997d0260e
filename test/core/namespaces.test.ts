import { describe, expect, it } from 'vitest';
import { CV, DCAT, DCATNO, PREFIXES, RDF_TYPE, SKOS, XSD } from '../../src/core/namespaces.js';

describe('typed vocabulary terms', () => {
  it('build full IRIs from the namespaces declared once in PREFIXES', () => {
    expect(DCAT('Dataset')).toBe('http://www.w3.org/ns/dcat#Dataset');
    expect(CV('isGroupedBy')).toBe(`${PREFIXES.cv}isGroupedBy`);
    expect(DCATNO('containsService')).toBe('https://data.norge.no/vocabulary/dcatno#containsService');
    expect(SKOS('inScheme')).toBe('http://www.w3.org/2004/02/skos/core#inScheme');
    expect(XSD('dateTime')).toBe('http://www.w3.org/2001/XMLSchema#dateTime');
    expect(RDF_TYPE).toBe('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
  });

  it('refuse a misspelt term at compile time (the type-check in CI fails if this line compiles)', () => {
    // @ts-expect-error 'Datset' is not a DCAT term Katalog knows
    expect(DCAT('Datset')).toBe('http://www.w3.org/ns/dcat#Datset');
  });
});
