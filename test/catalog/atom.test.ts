import { describe, expect, it } from 'vitest';
import { atomFeed, titlesOf, type AtomEntryTitle } from '../../src/catalog/atom.js';
import type { Change } from '../../src/store/store.js';
import { TEST_BASE } from '../helpers/graphs.js';
import { ATOM, child, childrenNamed, parseXml, textOf, type XmlElement } from '../helpers/xml.js';

const SELF = `${TEST_BASE}/feed.atom`;

function change(seq: number, op: Change['op'], kind: Change['kind'], id: string, at: string): Change {
  const segment = { dataset: 'datasets', service: 'services', catalog: 'catalogs' }[kind as string] ?? kind;
  return { seq, op, kind, id, at, iri: `${TEST_BASE}/${segment}/${id}`, version: `v${seq}`, nt: '', ttl: '', jsonld: '' };
}

const CHANGES: Change[] = [
  change(3, 'delete', 'service', 'pass', '2025-03-03T10:00:00.000Z'),
  change(2, 'update', 'dataset', 'enhetsregisteret', '2025-03-02T10:00:00.000Z'),
  change(1, 'create', 'catalog', 'brreg', '2025-03-01T10:00:00.000Z'),
];

const TITLES = new Map<string, AtomEntryTitle>([
  [`${TEST_BASE}/datasets/enhetsregisteret`, { nb: 'Enhetsregisteret', en: 'The Central Coordinating Register' }],
  [`${TEST_BASE}/catalogs/brreg`, { en: 'Brreg catalogue' }],
  [`${TEST_BASE}/services/pass`, { nb: 'Pass' }],
]);

function feed(language: 'nb' | 'en', changes = CHANGES, titles = TITLES, updated: string | undefined = changes[0]?.at): XmlElement {
  return parseXml(atomFeed({ baseUrl: TEST_BASE, selfUrl: SELF, language, changes, titles, updated }));
}

describe('the Atom feed of the latest changes', () => {
  it('describes itself: id, title, updated, self and TriG links, author and generator, in the Atom namespace', () => {
    const root = feed('nb');
    expect(root).toMatchObject({ uri: ATOM, local: 'feed', attributes: { 'xml:lang': 'nb' } });
    expect(textOf(root, 'id')).toBe(SELF);
    expect(textOf(root, 'title')).toBe('Endringer i Katalog');
    expect(textOf(root, 'updated')).toBe('2025-03-03T10:00:00.000Z');
    expect(childrenNamed(root, 'link').map((l) => l.attributes)).toEqual([
      { rel: 'self', type: 'application/atom+xml', href: SELF },
      { rel: 'alternate', type: 'application/trig', href: `${TEST_BASE}/feed` },
    ]);
    expect(textOf(child(root, 'author')!, 'name')).toBe('Katalog');
    expect(textOf(root, 'generator')).toBe('Katalog');
    expect(textOf(feed('en'), 'title')).toBe('Changes in Katalog');
    expect(feed('en').attributes['xml:lang']).toBe('en');
  });

  it('gives one entry per change in the given order, with its activity id, time, page link and kind', () => {
    const entries = childrenNamed(feed('en'), 'entry');
    expect(entries.map((e) => textOf(e, 'id'))).toEqual([3, 2, 1].map((seq) => `${TEST_BASE}/feed/activities/${seq}`));
    expect(entries.map((e) => textOf(e, 'updated'))).toEqual(CHANGES.map((c) => c.at));
    expect(entries.map((e) => child(e, 'link')!.attributes)).toEqual([
      { rel: 'alternate', href: `${TEST_BASE}/services/pass` },
      { rel: 'alternate', href: `${TEST_BASE}/datasets/enhetsregisteret` },
      { rel: 'alternate', href: `${TEST_BASE}/catalogs/brreg` },
    ]);
    expect(entries.map((e) => child(e, 'category')!.attributes)).toEqual([{ term: 'service' }, { term: 'dataset' }, { term: 'catalog' }]);
  });

  it('titles entries with a verb and the title in the feed language, falling back to the other language', () => {
    const titles = (language: 'nb' | 'en') => childrenNamed(feed(language), 'entry').map((e) => textOf(e, 'title'));
    expect(titles('nb')).toEqual(['Slettet: Pass', 'Endret: Enhetsregisteret', 'Ny: Brreg catalogue']);
    expect(titles('en')).toEqual(['Deleted: Pass', 'Changed: The Central Coordinating Register', 'New: Brreg catalogue']);
  });

  it('titles an entry with the record IRI when the record has no title', () => {
    const entries = childrenNamed(feed('nb', CHANGES, new Map([[`${TEST_BASE}/services/pass`, {}]])), 'entry');
    expect(entries.map((e) => textOf(e, 'title'))).toEqual([
      `Slettet: ${TEST_BASE}/services/pass`,
      `Endret: ${TEST_BASE}/datasets/enhetsregisteret`,
      `Ny: ${TEST_BASE}/catalogs/brreg`,
    ]);
  });

  it('sums up each change in one sentence of the feed language, naming the kind and the record IRI', () => {
    const summaries = (language: 'nb' | 'en') => childrenNamed(feed(language), 'entry').map((e) => textOf(e, 'summary'));
    expect(summaries('nb')).toEqual([
      `Den offentlige tjenesten ${TEST_BASE}/services/pass ble slettet.`,
      `Datasettet ${TEST_BASE}/datasets/enhetsregisteret ble endret.`,
      `Katalogen ${TEST_BASE}/catalogs/brreg ble opprettet.`,
    ]);
    expect(summaries('en')).toEqual([
      `The public service ${TEST_BASE}/services/pass was deleted.`,
      `The dataset ${TEST_BASE}/datasets/enhetsregisteret was changed.`,
      `The catalogue ${TEST_BASE}/catalogs/brreg was created.`,
    ]);
  });

  it('escapes hostile titles and drops the characters XML cannot carry, staying well-formed', () => {
    const hostile = `<script>&"'\u0001x\uD800y</script>]]>\uFFFE😀`;
    const titles = new Map([[`${TEST_BASE}/datasets/enhetsregisteret`, { nb: hostile }]]);
    const text = atomFeed({ baseUrl: TEST_BASE, selfUrl: SELF, language: 'nb', changes: CHANGES, titles });
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;&amp;&quot;&apos;xy&lt;/script&gt;]]&gt;😀');
    const entries = childrenNamed(parseXml(text), 'entry');
    expect(textOf(entries[1]!, 'title')).toBe(`Endret: <script>&"'xy</script>]]>😀`);
    expect(entries).toHaveLength(3);
  });

  it('escapes hostile IRIs and ids in attributes and text', () => {
    const bad = { ...change(9, 'create', 'dataset', `a"b'c<d>&e`, '2025-04-01T00:00:00.000Z'), iri: `urn:x:"'<>&\u0000` };
    const entry = child(feed('en', [bad], new Map()), 'entry')!;
    expect(child(entry, 'link')!.attributes.href).toBe(`${TEST_BASE}/datasets/a"b'c<d>&e`);
    expect(textOf(entry, 'title')).toBe(`New: urn:x:"'<>&`);
  });

  it('proves its point with a parser that refuses what the feed must never contain', () => {
    expect(() => parseXml('<a>\u0001</a>')).toThrow();
    expect(() => parseXml('<a>\uD800</a>')).toThrow();
    expect(() => parseXml('<a>\uFFFE</a>')).toThrow();
    expect(() => parseXml('<a>&</a>')).toThrow();
    expect(() => parseXml('<a b="<"/>')).toThrow();
  });

  it('is a valid feed without entries when nothing has changed, dated the epoch', () => {
    const root = feed('en', [], new Map(), undefined);
    expect(childrenNamed(root, 'entry')).toEqual([]);
    expect(textOf(root, 'updated')).toBe('1970-01-01T00:00:00.000Z');
    expect(textOf(root, 'id')).toBe(SELF);
  });

  it('is as recent as its newest change when no time is given', () => {
    expect(textOf(feed('en', CHANGES, TITLES, undefined), 'updated')).toBe(CHANGES[0]!.at);
  });
});

describe('the titles of a record', () => {
  const iri = `${TEST_BASE}/datasets/enhetsregisteret`;
  const title = (object: string, subject = iri) => `<${subject}> <http://purl.org/dc/terms/title> ${object} .\n`;

  it('picks the nb and en titles of the record itself', () => {
    const nt = [
      title('"Enhetsregisteret"@nb'),
      title('"The Central Coordinating Register"@en'),
      title('"Einingsregisteret"@nn'),
      title('"Another record"@nb', `${TEST_BASE}/datasets/other`),
      `<${iri}> <http://purl.org/dc/terms/description> "Not a title"@en .\n`,
    ].join('');
    expect(titlesOf(nt, iri)).toEqual({ nb: 'Enhetsregisteret', en: 'The Central Coordinating Register' });
  });

  it('takes a title without a language as nb only when there is no nb title', () => {
    expect(titlesOf(title('"Uten språk"'), iri)).toEqual({ nb: 'Uten språk' });
    expect(titlesOf(title('"Uten språk"') + title('"Bokmål"@nb'), iri)).toEqual({ nb: 'Bokmål' });
    expect(titlesOf(title('"Only English"@en'), iri)).toEqual({ en: 'Only English' });
  });

  it('gives no titles for a record without any, or for text that is not N-Triples, without throwing', () => {
    expect(titlesOf('', iri)).toEqual({});
    expect(titlesOf(`<${iri}> <http://purl.org/dc/terms/description> "x" .\n`, iri)).toEqual({});
    expect(titlesOf('this is <not N-Triples', iri)).toEqual({});
    expect(titlesOf('@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title "x" .', iri)).toEqual({});
    expect(titlesOf(title('"unterminated'), iri)).toEqual({});
  });
});
