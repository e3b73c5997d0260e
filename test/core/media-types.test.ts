import { describe, expect, it } from 'vitest';
import { formatOfContentType, formatOfFileName, negotiateFormat } from '../../src/core/media-types.js';

const chosen = (accept: string | undefined, format?: string) => negotiateFormat(accept, format)?.mediaType;

describe('content negotiation', () => {
  it('gives Turtle without an Accept header, with an empty one and with */*', () => {
    expect(chosen(undefined)).toBe('text/turtle');
    expect(chosen('')).toBe('text/turtle');
    expect(chosen('*/*')).toBe('text/turtle');
  });

  it('gives each offered media type when asked for it alone', () => {
    for (const type of ['text/turtle', 'application/ld+json', 'application/n-triples', 'application/rdf+xml', 'application/n-quads', 'application/trig']) {
      expect(chosen(type)).toBe(type);
    }
  });

  it('follows q-values', () => {
    expect(chosen('text/turtle;q=0.5, application/ld+json;q=0.9')).toBe('application/ld+json');
    expect(chosen('application/rdf+xml;q=0.2, application/n-triples;q=0.3, text/html')).toBe('application/n-triples');
    expect(chosen('application/ld+json;q=0, */*;q=0.1')).toBe('text/turtle');
  });

  it('lets ?format= override the Accept header', () => {
    expect(chosen('text/turtle', 'jsonld')).toBe('application/ld+json');
    expect(chosen(undefined, 'rdf')).toBe('application/rdf+xml');
    expect(chosen(undefined, 'docx')).toBeUndefined();
  });

  it('finds nothing for an Accept header it cannot satisfy', () => {
    expect(chosen('text/html')).toBeUndefined();
    expect(chosen('image/png, application/pdf;q=0.5')).toBeUndefined();
  });

  it('reads body media types with parameters and aliases, and file extensions', () => {
    expect(formatOfContentType('text/turtle; charset=utf-8')?.id).toBe('turtle');
    expect(formatOfContentType('application/json')?.id).toBe('jsonld');
    expect(formatOfContentType('image/png')).toBeUndefined();
    expect(formatOfFileName('a/b/c.ttl')?.id).toBe('turtle');
    expect(formatOfFileName('x.owl')?.id).toBe('rdfxml');
    expect(formatOfFileName('README.md')).toBeUndefined();
  });
});
