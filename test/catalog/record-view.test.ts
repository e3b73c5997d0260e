import { describe, expect, it } from 'vitest';
import { linkedIris, pickText, recordView, safeHref } from '../../src/catalog/record-view.js';
import { triplesOf } from '../../src/core/serialize/representations.js';
import { resources } from '../helpers/validation.js';

const vocabularies = resources().vocabularies;
const ROOT = 'http://x.test/d';
const NT = [
  `<${ROOT}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .`,
  `<${ROOT}> <http://purl.org/dc/terms/title> "Tittel"@nb .`,
  `<${ROOT}> <http://purl.org/dc/terms/title> "Title"@en .`,
  `<${ROOT}> <http://purl.org/dc/terms/issued> "2026-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .`,
  `<${ROOT}> <http://purl.org/dc/terms/description> "ends like a triple <http://x.test/not-a-link> ." .`,
  `<${ROOT}> <http://www.w3.org/ns/dcat#theme> <http://publications.europa.eu/resource/authority/data-theme/ECON> .`,
  `<${ROOT}> <http://www.w3.org/ns/dcat#inSeries> <http://x.test/series> .`,
  `<${ROOT}> <http://www.w3.org/ns/dcat#landingPage> <javascript:alert(1)> .`,
  `<${ROOT}> <http://www.w3.org/ns/dcat#contactPoint> _:c .`,
  `_:c <http://www.w3.org/2006/vcard#hasEmail> <mailto:a@x.test> .`,
].join('\n');

describe("a record's page model", () => {
  it('finds the IRIs a record links to from its N-Triples: not its type, a datatype, a literal or a vocabulary concept', () => {
    expect(linkedIris(NT, ROOT, vocabularies)).toEqual(['http://x.test/series', 'javascript:alert(1)', 'mailto:a@x.test']);
  });

  it("picks the reader's language, else the nearest", () => {
    const texts = [
      { text: 'Tittel', lang: 'nb' },
      { text: 'Title', lang: 'en' },
    ];
    expect(pickText(texts, 'nn')).toEqual({ text: 'Tittel', lang: 'nb' });
    expect(pickText(texts, 'en')).toEqual({ text: 'Title', lang: 'en' });
    expect(pickText([{ text: 'Uten', lang: '' }, ...texts.slice(1)], 'nb')).toEqual({ text: 'Uten', lang: '' });
  });

  it('links only what a browser may follow safely', () => {
    expect(safeHref('https://x.test/a')).toBe('https://x.test/a');
    expect(safeHref('mailto:a@x.test')).toBe('mailto:a@x.test');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', 'https://x.test/a b'])
      expect(safeHref(bad)).toBeUndefined();
  });

  it('shows labels, links records to their pages, describes owned nodes in place and shows a script IRI as text', () => {
    const linked = new Map([['http://x.test/series', { url: '/dataset-series/s', kind: 'dataset-series' as const, titles: [{ text: 'Serien', lang: 'nb' }] }]]);
    const view = recordView({ iri: ROOT, kind: 'dataset', quads: triplesOf(NT), lang: 'en', vocabularies, linked, local: (iri) => iri });
    expect(view.title).toEqual({ text: 'Title', lang: 'en' });
    const values = (label: string) => [...view.facts, ...view.rest].find((p) => p.label === label)?.values;
    expect(values('Themes')).toEqual([
      expect.objectContaining({ text: 'Economy and finance', href: 'http://publications.europa.eu/resource/authority/data-theme/ECON' }),
    ]);
    expect(values('In series')).toEqual([expect.objectContaining({ text: 'Serien', lang: 'nb', href: '/dataset-series/s' })]);
    expect(view.related).toEqual([{ url: '/dataset-series/s', kind: 'dataset-series', title: { text: 'Serien', lang: 'nb' } }]);
    expect(values('Landing page')).toEqual([{ text: 'javascript:alert(1)', lang: '' }]);
    const contact = values('Contact point')![0]!.node!;
    expect(contact.properties[0]!.values[0]).toMatchObject({ text: 'a@x.test', href: 'mailto:a@x.test' });
  });
});
