import { describe, expect, it } from 'vitest';
import { formatById, FORMATS } from '../../src/core/media-types.js';
import { contentEtag, contentTag, etagOf, httpDate, isNotModified, listsEtag, versionOfEtag } from '../../src/http/etags.js';

describe('building entity tags', () => {
  it('makes a weak tag of a version and a syntax, naming a JSON-LD form other than compacted', () => {
    expect(etagOf('v7', formatById('turtle'))).toBe('W/"v7-ttl"');
    expect(etagOf('s12-p10-c0', formatById('rdfxml'))).toBe('W/"s12-p10-c0-rdf"');
    expect(etagOf('v7', { ...formatById('jsonld'), form: 'expanded' })).toBe('W/"v7-jsonld-expanded"');
    expect(etagOf('v7', { ...formatById('jsonld'), form: 'compacted' })).toBe('W/"v7-jsonld"');
  });

  it('makes a strong tag of content: 16 hex digits of its SHA-256, the same for the same content', () => {
    expect(contentTag('abc')).toBe('ba7816bf8f01cfea');
    expect(contentEtag('abc')).toBe('"ba7816bf8f01cfea"');
    expect(contentTag('abd')).not.toBe(contentTag('abc'));
  });
});

describe('reading the version of an entity tag (If-Match)', () => {
  it.each([
    ['W/"v7-ttl"', 'v7'],
    ['"v7-jsonld"', 'v7'],
    ['v7-nt', 'v7'],
    ['"v7"', 'v7'],
    ['  W/"v7-trig"  ', 'v7'],
    ['"v7-docx"', 'v7-docx'],
  ])('reads %s as %s', (etag, version) => {
    expect(versionOfEtag(etag)).toBe(version);
  });

  it('reads the version a write answered with', () => {
    expect(versionOfEtag(etagOf('abc-123', formatById('turtle')))).toBe('abc-123');
  });

  it('reads the version of a tag of any syntax and JSON-LD form a GET answered with', () => {
    for (const format of FORMATS) expect(versionOfEtag(etagOf('abc-123', format))).toBe('abc-123');
    for (const form of ['compacted', 'expanded', 'flattened'] as const) {
      expect(versionOfEtag(etagOf('abc-123', { ...formatById('jsonld'), form }))).toBe('abc-123');
    }
  });
});

describe('If-None-Match', () => {
  const etag = 'W/"v7-ttl"';

  it('compares weakly: W/ and spaces around list members do not matter, the quoted tag does', () => {
    expect(listsEtag('W/"v7-ttl"', etag)).toBe(true);
    expect(listsEtag('"v7-ttl"', etag)).toBe(true);
    expect(listsEtag('"other", W/"v6-ttl" ,  "v7-ttl"', etag)).toBe(true);
    expect(listsEtag('W/"v7-jsonld", "v6-ttl"', etag)).toBe(false);
    expect(listsEtag('v7-ttl', etag)).toBe(false);
  });

  it('answers 304 for a listed tag or *, and decides alone when present', () => {
    expect(isNotModified({ 'if-none-match': '"a", W/"v7-ttl"' }, etag)).toBe(true);
    expect(isNotModified({ 'if-none-match': ' * ' }, etag)).toBe(true);
    const modified = '2024-01-31T12:00:00.500Z';
    expect(isNotModified({ 'if-none-match': '"a"', 'if-modified-since': 'Wed, 31 Jan 2024 13:00:00 GMT' }, etag, modified)).toBe(false);
  });
});

describe('If-Modified-Since', () => {
  const etag = 'W/"v7-ttl"';
  const modified = '2024-01-31T12:00:00.500Z';

  it('compares with Last-Modified rounded down to the second, as it was sent', () => {
    expect(httpDate(modified)).toBe('Wed, 31 Jan 2024 12:00:00 GMT');
    expect(isNotModified({ 'if-modified-since': httpDate(modified) }, etag, modified)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Wed, 31 Jan 2024 12:00:01 GMT' }, etag, modified)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Wed, 31 Jan 2024 11:59:59 GMT' }, etag, modified)).toBe(false);
  });

  it('is ignored when unreadable or when the resource has no time', () => {
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, etag, modified)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'Wed, 31 Jan 2024 12:00:00 GMT' }, etag)).toBe(false);
    expect(isNotModified({}, etag, modified)).toBe(false);
  });
});
