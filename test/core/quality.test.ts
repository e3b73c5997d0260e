import { readFileSync } from 'node:fs';
import type { Quad } from '@rdfjs/types';
import { DataFactory, Parser } from 'n3';
import { describe, expect, it } from 'vitest';
import { assessRecord } from '../../src/catalog/quality.js';
import { assessQuality, type QualityInputs, type UrlFinding } from '../../src/core/quality.js';
import { MAX_SCORE, METRICS, ratingOf, WEB_METRICS } from '../../src/core/quality-metrics.js';
import { projectFile } from '../../src/project-files.js';
import { resources } from '../helpers/validation.js';

const DS = 'http://x.test/ds';
const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
@prefix iana: <https://www.iana.org/assignments/media-types/> .\n`;

const parse = (turtle: string): Quad[] => new Parser({ format: 'Turtle' }).parse(PREFIXES + turtle) as Quad[];

/** A dataset with `own` on itself and one distribution with `distribution` (none when undefined). */
function dataset(own = '', distribution?: string): Quad[] {
  const dist =
    distribution === undefined
      ? ''
      : `; dcat:distribution <http://x.test/dist> . <http://x.test/dist> a dcat:Distribution ${distribution ? `; ${distribution}` : ''}`;
  return parse(`<${DS}> a dcat:Dataset ; dct:title "T"@nb ${own ? `; ${own}` : ''} ${dist} .`);
}

const assess = (quads: Quad[], inputs: Partial<QualityInputs> = {}) =>
  assessQuality(quads, DataFactory.namedNode(DS), { vocabularies: resources().vocabularies, ...inputs });
const metricOf = (a: ReturnType<typeof assess>, id: string) => a.metrics.find((m) => m.id === id)!;

describe('quality metrics (docs/quality.md)', () => {
  it('add up to 435 points in five dimensions, as Felles datakatalog weighs them', () => {
    expect(MAX_SCORE).toBe(435);
    const byDimension = Object.fromEntries(['findability', 'accessibility', 'interoperability', 'reusability', 'contextuality'].map((d) => [d, 0]));
    for (const m of METRICS) byDimension[m.dimension]! += m.points;
    expect(byDimension).toEqual({ findability: 100, accessibility: 100, interoperability: 140, reusability: 75, contextuality: 20 });
    expect(METRICS).toHaveLength(25);
    expect([...WEB_METRICS].sort()).toEqual(['accessUrlStatusCode', 'downloadUrlStatusCode', 'formatMatch', 'syntaxValid']);
    for (const m of METRICS) {
      expect(m.text.nb && m.text.en && m.earn.nb && m.earn.en, m.id).toBeTruthy();
    }
  });

  it('earns nothing on a dataset with a title alone, and says what it did not measure', () => {
    const a = assess(dataset());
    expect(a.score).toBe(0);
    expect(a.distributions).toEqual([]);
    expect(a.best).toBeUndefined();
    // Without the URLs fetched and without a validation: the web metrics and compliance are not measured.
    expect(a.notMeasured.sort()).toEqual([...WEB_METRICS, 'dcatApCompliance'].sort());
    expect(a.measuredMax).toBe(435 - 110 - 30);
    expect(a.rating).toBe('poor');
    // A distribution's metric of a dataset without distributions is measured, and false.
    expect(metricOf(a, 'formatAvailability')).toMatchObject({ measured: true, value: false, score: 0 });
  });

  // Each metric on its own: the property that earns it, on the dataset or on its one distribution.
  const cases: Array<[string, string, string | undefined, number]> = [
    ['keywordAvailability', 'dcat:keyword "vann"@nb', undefined, 30],
    ['keywordAvailability', 'dct:subject <http://x.test/concept>', undefined, 30],
    ['categoryAvailability', 'dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI>', undefined, 30],
    ['spatialAvailability', 'dct:spatial <https://data.geonorge.no/administrativeEnheter/kommune/id/173018>', undefined, 20],
    ['temporalAvailability', 'dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ]', undefined, 20],
    ['accessRightsAvailability', 'dct:accessRights <http://x.test/own-rights>', undefined, 10],
    ['contactPointAvailability', 'dcat:contactPoint [ a vcard:Organization ; vcard:hasEmail <mailto:a@x.test> ]', undefined, 20],
    ['publisherAvailability', 'dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/974760673>', undefined, 10],
    ['dateIssuedAvailability', 'dct:issued "2020-01-01"^^xsd:date', undefined, 5],
    ['dateModifiedAvailability', 'dct:modified "2021-01-01"^^xsd:date', undefined, 5],
    ['downloadUrlAvailability', '', 'dcat:downloadURL <http://x.test/file.csv>', 20],
    ['formatAvailability', '', 'dct:format "tekst"', 20],
    ['mediaTypeAvailability', '', 'dcat:mediaType "text/x-own"', 10],
    ['licenseAvailability', '', 'dct:license <http://x.test/own-licence>', 20],
    ['rightsAvailability', '', 'dct:rights [ a dct:RightsStatement ]', 5],
    ['byteSizeAvailability', '', 'dcat:byteSize "1024"^^xsd:nonNegativeInteger', 5],
    ['dateIssuedAvailability', '', 'dct:issued "2020-01-01"^^xsd:date', 5],
    ['dateModifiedAvailability', '', 'dct:modified "2021-01-01"^^xsd:date', 5],
  ];
  for (const [id, own, distribution, points] of cases) {
    it(`earns ${points} points for ${id} with ${own || distribution} and nothing else`, () => {
      const before = assess(dataset('', distribution === undefined ? undefined : ''));
      const after = assess(dataset(own, distribution));
      expect(metricOf(after, id)).toMatchObject({ score: points, points, measured: true, value: true });
      expect(after.score - before.score).toBe(points);
      for (const m of after.metrics) if (m.id !== id) expect(m.score, m.id).toBe(metricOf(before, m.id).score);
    });
  }

  it('earns the vocabulary metrics only with values from the vocabularies', () => {
    const free = assess(dataset('dct:accessRights "offentlig"', 'dct:format "CSV" ; dcat:mediaType "text/csv" ; dct:license <http://x.test/own>'));
    for (const id of [
      'accessRightsVocabularyAlignment',
      'formatMediaTypeVocabularyAlignment',
      'knownLicense',
      'formatMediaTypeNonProprietary',
      'formatMediaTypeMachineInterpretable',
    ]) {
      expect(metricOf(free, id).score, id).toBe(0);
    }
    const aligned = assess(dataset('dct:accessRights ar:PUBLIC', 'dct:format ft:CSV ; dct:license lic:NLOD_2_0'));
    expect(metricOf(aligned, 'accessRightsVocabularyAlignment').score).toBe(5);
    expect(metricOf(aligned, 'formatMediaTypeVocabularyAlignment').score).toBe(10);
    expect(metricOf(aligned, 'knownLicense').score).toBe(10);
    expect(metricOf(aligned, 'formatMediaTypeNonProprietary').score).toBe(20);
    expect(metricOf(aligned, 'formatMediaTypeMachineInterpretable').score).toBe(20);
    // An IANA media type aligns too, an invented one does not.
    expect(metricOf(assess(dataset('', 'dcat:mediaType iana:text\\/csv')), 'formatMediaTypeVocabularyAlignment').score).toBe(10);
    expect(
      metricOf(assess(dataset('', 'dcat:mediaType <https://www.iana.org/assignments/media-types/nonsense/x>')), 'formatMediaTypeVocabularyAlignment').score,
    ).toBe(0);
    // Open but proprietary, and open but not machine-readable: PDF is neither, HTML is open and not machine-readable.
    const html = assess(dataset('', 'dct:format ft:HTML'));
    expect([metricOf(html, 'formatMediaTypeNonProprietary').score, metricOf(html, 'formatMediaTypeMachineInterpretable').score]).toEqual([20, 0]);
    const pdf = assess(dataset('', 'dct:format ft:PDF'));
    expect([metricOf(pdf, 'formatMediaTypeNonProprietary').score, metricOf(pdf, 'formatMediaTypeMachineInterpretable').score]).toEqual([0, 0]);
    // An NLOD or Creative Commons URL is a known licence though it is not an EU licence IRI.
    for (const url of ['https://data.norge.no/nlod/no/2.0', 'http://creativecommons.org/licenses/by/4.0/', 'https://creativecommons.org/licenses/by-sa/4.0/']) {
      expect(metricOf(assess(dataset('', `dct:license <${url}>`)), 'knownLicense').score, url).toBe(10);
    }
    expect(metricOf(assess(dataset('', 'dct:license <https://example.org/our-licence>')), 'knownLicense').score).toBe(0);
  });

  it('counts compliance as the validation says: no violation and no warning', () => {
    expect(metricOf(assess(dataset(), { compliance: { profile: 'dcat-ap-no', conforms: true } }), 'dcatApCompliance')).toMatchObject({
      score: 30,
      measured: true,
    });
    expect(metricOf(assess(dataset(), { compliance: { profile: 'dcat-ap-no', conforms: false } }), 'dcatApCompliance')).toMatchObject({
      score: 0,
      measured: true,
      value: false,
    });
    // On stored records: a bare dataset has warnings (and violations) against DCAT-AP-NO.
    const bare = assessRecord('dataset', dataset(), DataFactory.namedNode(DS), resources())!;
    expect(metricOf(bare, 'dcatApCompliance')).toMatchObject({ measured: true, value: false });
    expect(bare.profile).toBe('dcat-ap-no');
    expect(assessRecord('data-service', dataset(), DataFactory.namedNode(DS), resources())).toBeUndefined();
  });

  it("scores the best distribution with the dataset's own metrics, each metric counted once", () => {
    const quads = parse(`<${DS}> a dcat:Dataset ; dct:title "T"@nb ; dcat:keyword "k"@nb ; dct:issued "2020-01-01"^^xsd:date ;
      dcat:distribution <http://x.test/a>, <http://x.test/b> .
      <http://x.test/a> a dcat:Distribution ; dct:format ft:CSV ; dct:issued "2020-01-01"^^xsd:date .
      <http://x.test/b> a dcat:Distribution ; dct:license lic:CC_BY_4_0 ; dcat:downloadURL <http://x.test/b.csv> ; dcat:byteSize "1"^^xsd:nonNegativeInteger .`);
    const a = assess(quads);
    // a: format 20 + vocabulary 10 + non-proprietary 20 + machine-readable 20 = 70; b: licence 20 + known 10 + download 20 + size 5 = 55.
    // The dataset: keyword 30 + issued 5 (issued on a counts once).
    expect(a.distributions.map((d) => d.score)).toEqual([70 + 35, 55 + 35]);
    expect(a.best).toBe(0);
    expect(a.score).toBe(105);
    expect(metricOf(a, 'licenseAvailability').score).toBe(0);
    expect(metricOf(a, 'dateIssuedAvailability').score).toBe(5);
    // A metric of both: the dataset's own value kept beside the one that counted.
    expect(metricOf(a, 'dateIssuedAvailability').dataset).toEqual({ value: true, score: 5 });
    const onlyDistribution = assess(dataset('', 'dct:modified "2021-01-01"^^xsd:date'));
    expect(metricOf(onlyDistribution, 'dateModifiedAvailability')).toMatchObject({ score: 5, value: true, dataset: { value: false, score: 0 } });
  });

  it('measures the web metrics only with what the URLs answered (katalog check)', () => {
    const quads = dataset('', 'dcat:accessURL <http://x.test/api> ; dcat:downloadURL <http://x.test/file.csv> ; dcat:mediaType iana:text\\/csv');
    const answers = new Map<string, UrlFinding>([
      ['http://x.test/api', { status: 200, contentType: 'text/html' }],
      ['http://x.test/file.csv', { status: 200, contentType: 'text/csv', syntaxValid: true }],
    ]);
    const a = assess(quads, { urls: (url) => answers.get(url) });
    expect(a.notMeasured).toEqual(['dcatApCompliance']);
    expect(metricOf(a, 'accessUrlStatusCode')).toMatchObject({ score: 50, value: 200 });
    expect(metricOf(a, 'downloadUrlStatusCode')).toMatchObject({ score: 30, value: 200 });
    expect(metricOf(a, 'formatMatch')).toMatchObject({ score: 15, value: true });
    expect(metricOf(a, 'syntaxValid')).toMatchObject({ score: 15, value: true });

    answers.set('http://x.test/file.csv', { status: 404 });
    const missing = assess(quads, { urls: (url) => answers.get(url) });
    expect(metricOf(missing, 'downloadUrlStatusCode')).toMatchObject({ score: 0, value: 404, measured: true });
    expect(metricOf(missing, 'formatMatch')).toMatchObject({ score: 0, value: false });
    expect(metricOf(missing, 'syntaxValid')).toMatchObject({ score: 0, value: false });

    answers.set('http://x.test/file.csv', { status: 200, contentType: 'application/json', syntaxValid: false });
    const wrong = assess(quads, { urls: (url) => answers.get(url) });
    expect([metricOf(wrong, 'formatMatch').score, metricOf(wrong, 'syntaxValid').score]).toEqual([0, 0]);

    // A file that answered but was not read: syntax not measured; URLs not fetched at all: none of them measured.
    answers.set('http://x.test/file.csv', { status: 200, contentType: 'text/csv' });
    expect(assess(quads, { urls: (url) => answers.get(url) }).notMeasured).toEqual(['dcatApCompliance', 'syntaxValid']);
    expect(assess(quads, { urls: () => undefined }).notMeasured.sort()).toEqual([...WEB_METRICS, 'dcatApCompliance'].sort());
  });

  it('rates the share of the measured points with the European bands', () => {
    expect(ratingOf(351, 405)).toBe('excellent');
    expect(ratingOf(350, 405)).toBe('good');
    expect(ratingOf(221, 405)).toBe('good');
    expect(ratingOf(220, 405)).toBe('sufficient');
    expect(ratingOf(121, 405)).toBe('sufficient');
    expect(ratingOf(120, 405)).toBe('poor');
    expect(ratingOf(0, 0)).toBe('poor');
    // Everything the server can measure, earned: excellent on the server's scale.
    const full = assess(
      dataset(
        'dcat:keyword "k"@nb ; dcat:theme <http://x.test/t> ; dct:spatial <http://x.test/s> ; dct:temporal [ a dct:PeriodOfTime ] ; dct:accessRights ar:PUBLIC ; dcat:contactPoint [ a vcard:Organization ] ; dct:publisher <http://x.test/p> ; dct:issued "2020-01-01"^^xsd:date ; dct:modified "2020-01-01"^^xsd:date',
        'dcat:accessURL <http://x.test/a> ; dcat:downloadURL <http://x.test/a.csv> ; dct:format ft:CSV ; dcat:mediaType iana:text\\/csv ; dct:license lic:NLOD_2_0 ; dct:rights [ a dct:RightsStatement ] ; dcat:byteSize "1"^^xsd:nonNegativeInteger',
      ),
      { compliance: { profile: 'dcat-ap-no', conforms: true } },
    );
    expect(full.score).toBe(full.measuredMax);
    expect(full.measuredMax).toBe(325);
    expect(full.rating).toBe('excellent');
    expect(full.dimensions.find((d) => d.id === 'accessibility')).toEqual({ id: 'accessibility', score: 20, max: 100, measuredMax: 20 });
  });

  it('assesses blank-node distributions as well as named ones', () => {
    const a = assess(parse(`<${DS}> a dcat:Dataset ; dcat:distribution [ a dcat:Distribution ; dct:format ft:JSON ] .`));
    expect(a.distributions).toHaveLength(1);
    expect(metricOf(a, 'formatAvailability').score).toBe(20);
  });
});

describe('docs/quality.md', () => {
  it('documents every metric: its points and, in nb and en, what it asks and how to earn it', () => {
    const doc = readFileSync(projectFile('docs', 'quality.md'), 'utf8');
    for (const m of METRICS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${m.id}\``));
      expect(row, m.id).toBeDefined();
      expect(row).toContain(`| ${m.points} |`);
      for (const text of [m.text.nb, m.text.en, m.earn.nb, m.earn.en]) expect(row, m.id).toContain(text);
    }
  });
});
