import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/catalog/api-keys.js';
import { FORMATS } from '../../src/core/media-types.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseBack, TEST_BASE } from '../helpers/graphs.js';

/**
 * A dataset's quality score over HTTP (docs/quality.md): GET /datasets/{id}/quality as JSON and as
 * DQV in every syntax, the same numbers in both; the score as a search filter, facet and order; what
 * is refused. The fixture is test/fixtures/quality, loaded with validation.
 */

const SSB = '971526920';
const MQA = 'https://data.norge.no/vocabulary/dcatno-mqa#';
const DQV = 'http://www.w3.org/ns/dqv#';
const WEB = ['accessUrlStatusCode', 'downloadUrlStatusCode', 'formatMatch', 'syntaxValid'];

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await buildTestApp(join(FIXTURES, 'quality'), { validate: true });
  key = (await createApiKey(t.store, SSB)).key;
});
afterAll(() => t.close());

interface Report {
  dataset: string;
  score: number;
  max: number;
  measuredMax: number;
  rating: string;
  notMeasured: string[];
  profile?: string;
  metrics: Array<{ id: string; score: number; points: number; measured: boolean; value?: unknown; earn?: { nb: string; en: string } }>;
  distributions: Array<{ index: number; iri?: string; score: number; best: boolean }>;
  dimensions: Array<{ id: string; score: number }>;
}

async function report(id: string): Promise<Report> {
  const response = await t.app.inject({ url: `/datasets/${id}/quality`, headers: { accept: 'application/json' } });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json() as Report;
}
const earned = (r: Report) => Object.fromEntries(r.metrics.filter((m) => m.score > 0).map((m) => [m.id, m.score]));

describe('GET /datasets/{id}/quality', () => {
  it('scores each dataset of the fixture metric by metric, and says what the server did not measure', async () => {
    const rik = await report('rik');
    expect(earned(rik)).toEqual({
      keywordAvailability: 30,
      categoryAvailability: 30,
      spatialAvailability: 20,
      temporalAvailability: 20,
      downloadUrlAvailability: 20,
      formatAvailability: 20,
      mediaTypeAvailability: 10,
      formatMediaTypeVocabularyAlignment: 10,
      formatMediaTypeNonProprietary: 20,
      formatMediaTypeMachineInterpretable: 20,
      licenseAvailability: 20,
      knownLicense: 10,
      accessRightsAvailability: 10,
      accessRightsVocabularyAlignment: 5,
      contactPointAvailability: 20,
      publisherAvailability: 10,
      rightsAvailability: 5,
      byteSizeAvailability: 5,
      dateIssuedAvailability: 5,
      dateModifiedAvailability: 5,
    });
    expect(rik).toMatchObject({ dataset: `${TEST_BASE}/datasets/rik`, score: 295, max: 435, measuredMax: 325, rating: 'excellent', profile: 'dcat-ap-no' });
    expect(rik.notMeasured.sort()).toEqual(WEB);
    // Compliance measured (DCAT-AP-NO's warnings: the second distribution lacks what it recommends) and not earned.
    expect(rik.metrics.find((m) => m.id === 'dcatApCompliance')).toMatchObject({ measured: true, value: false, score: 0 });
    // The CSV distribution counts; the PDF one does not.
    expect(rik.distributions.map((d) => [d.iri, d.best])).toEqual([
      [`${TEST_BASE}/datasets/rik/csv`, true],
      [`${TEST_BASE}/datasets/rik/pdf`, false],
    ]);
    // Every metric not fully earned says how to earn it.
    for (const m of rik.metrics) expect(m.earn !== undefined, m.id).toBe(m.score < m.points);

    const middels = await report('middels');
    expect(earned(middels)).toEqual({
      keywordAvailability: 30,
      categoryAvailability: 30,
      accessRightsAvailability: 10,
      accessRightsVocabularyAlignment: 5,
      publisherAvailability: 10,
    });
    expect([middels.score, middels.rating]).toEqual([85, 'poor']);
    expect(earned(await report('tynn'))).toEqual({ categoryAvailability: 30, publisherAvailability: 10 });
  });

  it('serves the same score as DQV in every RDF syntax', async () => {
    const json = await report('rik');
    for (const format of FORMATS) {
      const response = await t.app.inject({ url: '/datasets/rik/quality', headers: { accept: format.mediaType } });
      expect(response.statusCode, format.id).toBe(200);
      expect(response.headers['content-type']).toContain(format.mediaType);
      const quads = await parseBack(response.body, format.id);
      const assessment = `${TEST_BASE}/datasets/rik/quality`;
      expect(
        quads.some((q) => q.subject.value === assessment && q.object.value === `${MQA}DatasetAssessment`),
        format.id,
      ).toBe(true);
      expect(quads.some((q) => q.subject.value === assessment && q.predicate.value === `${MQA}assessmentOf` && q.object.value === json.dataset)).toBe(true);
      // The total: a measurement of dcatno-mqa:scoring on the dataset's assessment.
      const measurements = (holder: string) =>
        quads.filter((q) => q.subject.value === holder && q.predicate.value === `${MQA}containsQualityMeasurement`).map((q) => q.object.value);
      const valueOf = (holder: string, metric: string) => {
        const m = measurements(holder).find((n) =>
          quads.some((q) => q.subject.value === n && q.predicate.value === `${DQV}isMeasurementOf` && q.object.value === MQA + metric),
        );
        return quads.find((q) => q.subject.value === m && q.predicate.value === `${DQV}value`)?.object.value;
      };
      expect(valueOf(assessment, 'scoring'), format.id).toBe(String(json.score));
      expect(valueOf(assessment, 'keywordAvailability')).toBe('true');
      for (const d of json.dimensions) expect(valueOf(assessment, `${d.id}Scoring`)).toBe(String(d.score));
      // What was not measured is named, and has no measurement.
      const notMeasured = quads.filter((q) => q.subject.value === assessment && q.predicate.value === `${TEST_BASE}/ns#notMeasured`).map((q) => q.object.value);
      expect(notMeasured.sort()).toEqual(WEB.map((id) => MQA + id));
      expect(valueOf(assessment, 'accessUrlStatusCode')).toBeUndefined();
      // Each distribution's own assessment, the best one's total as in JSON.
      const best = `${assessment}#distribution-1`;
      expect(valueOf(best, 'scoring')).toBe(String(json.distributions[0]!.score));
      expect(valueOf(best, 'formatAvailability')).toBe('true');
    }
  });

  it('answers 304 to its ETag, and a new score after the dataset is written', async () => {
    const first = await t.app.inject({ url: '/datasets/tynn/quality', headers: { accept: 'text/turtle' } });
    const etag = first.headers.etag as string;
    expect((await t.app.inject({ url: '/datasets/tynn/quality', headers: { accept: 'text/turtle', 'if-none-match': etag } })).statusCode).toBe(304);
    const json = await t.app.inject({ url: '/datasets/tynn/quality', headers: { accept: 'application/json' } });
    expect(json.headers.etag).not.toBe(etag);
    expect(json.headers.vary).toContain('Accept');

    const put = await t.app.inject({
      method: 'PUT',
      url: '/datasets/tynn',
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` },
      payload: `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <${TEST_BASE}/datasets/tynn> a dcat:Dataset ; dct:identifier "tynn" ; dct:title "Tynt"@nb ; dct:description "Lite."@nb ;
          dct:publisher <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${SSB}> ;
          dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ; dcat:keyword "jord"@nb .`,
    });
    expect(put.statusCode, put.body).toBe(200);
    const after = await t.app.inject({ url: '/datasets/tynn/quality', headers: { accept: 'text/turtle', 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect((await report('tynn')).score).toBe(70);
    // The index follows the write (70 is still below middels' 85).
    const order = await t.app.inject({ url: '/search?kind=dataset&sort=quality', headers: { accept: 'application/ld+json' } });
    expect((order.json() as { member: Array<{ id: string }> }).member.map((m) => m.id.slice(m.id.lastIndexOf('/') + 1))).toEqual(['rik', 'middels', 'tynn']);
  });

  it('is 404 for a record that is not a dataset or does not exist, and 406 for a syntax it does not offer', async () => {
    for (const url of ['/datasets/nothing/quality', '/catalogs/kvalitet/quality', '/data-services/x/quality']) {
      const response = await t.app.inject({ url, headers: { accept: 'application/json' } });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const refused = await t.app.inject({ url: '/datasets/rik/quality', headers: { accept: 'image/png' } });
    expect(refused.statusCode).toBe(406);
    expect(refused.json().type).toBe('urn:katalog:problem:not-acceptable');
  });
});

describe('the score in search', () => {
  interface Page {
    totalItems: number;
    member: Array<{ id: string }>;
    view: { next?: string };
    facet: Array<{ field: string; values: Array<{ value: string; count: number; labels: Record<string, string> }> }>;
  }
  const search = async (url: string): Promise<Page> => {
    const response = await t.app.inject({ url, headers: { accept: 'application/ld+json' } });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    return response.json() as Page;
  };
  const ids = (page: Page) => page.member.map((m) => m.id.slice(m.id.lastIndexOf('/') + 1));

  it('filters by rating, counts ratings as a facet, and sorts by score with records without one last', async () => {
    expect(ids(await search('/search?quality=excellent'))).toEqual(['rik']);
    expect(ids(await search('/datasets?quality=poor&sort=title')).sort()).toEqual(['middels', 'tynn']);
    expect((await search('/search?quality=good')).totalItems).toBe(0);
    const facet = (await search('/search')).facet.find((f) => f.field === 'quality')!;
    expect(facet.values.map((v) => [v.value, v.count])).toEqual([
      ['poor', 2],
      ['excellent', 1],
    ]);
    expect(facet.values[1]!.labels).toMatchObject({ nb: 'Utmerket', en: 'Excellent' });
    expect(ids(await search('/search?sort=quality'))).toEqual(['rik', 'middels', 'tynn', 'kvalitet']);
  });

  it('pages a quality order with its cursor, every hit once', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/search?sort=quality&pageSize=1';
    while (url) {
      const page = await search(url);
      seen.push(...ids(page));
      url = page.view.next?.slice(TEST_BASE.length);
    }
    expect(seen).toEqual(['rik', 'middels', 'tynn', 'kvalitet']);
  });

  it('refuses a rating that is not one, naming the ratings', async () => {
    const before = await t.store.state();
    const response = await t.app.inject({ url: '/search?quality=great', headers: { accept: 'application/ld+json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'urn:katalog:problem:invalid-request' });
    expect(response.json().detail).toContain('excellent, good, sufficient, poor');
    expect(await t.store.state()).toEqual(before);
  });
});

describe('what a reindex keeps', () => {
  it('gives the same scores from the stored records as the writes gave', async () => {
    const { fieldsWithQuality } = await import('../../src/catalog/quality.js');
    const { resources } = await import('../helpers/validation.js');
    const before = ids(await t.app.inject({ url: '/search?sort=quality', headers: { accept: 'application/ld+json' } }));
    await t.store.reindex(fieldsWithQuality(resources()));
    const after = ids(await t.app.inject({ url: '/search?sort=quality', headers: { accept: 'application/ld+json' } }));
    expect(after).toEqual(before);
    // Without the quality fields (the store's own default) the datasets lose their scores, and sort with every other record.
    await t.store.reindex();
    const facet = (
      (await t.app.inject({ url: '/search', headers: { accept: 'application/ld+json' } })).json() as { facet: Array<{ field: string; values: unknown[] }> }
    ).facet;
    expect(facet.find((f) => f.field === 'quality')!.values).toEqual([]);
    await t.store.reindex(fieldsWithQuality(resources()));
  });
  function ids(response: { json: () => unknown }): string[] {
    return (response.json() as { member: Array<{ id: string }> }).member.map((m) => m.id.slice(m.id.lastIndexOf('/') + 1));
  }
});

describe("the score on a dataset's page", () => {
  const page = async (url: string) => {
    const response = await t.app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    return response.body;
  };

  it('shows the score of the measured points, the rating, what to earn and how, and what was not measured', async () => {
    const { METRICS } = await import('../../src/core/quality-metrics.js');
    const rik = await report('rik');
    const en = await page('/datasets/rik?lang=en');
    const section = en.slice(en.indexOf('id="quality"'), en.indexOf('</section>', en.indexOf('id="quality"')));
    expect(section).toContain(`Excellent</strong>: ${rik.score} of ${rik.measuredMax} measured points (435 in all)`);
    // The one metric left to earn, with how to earn it; the four not measured, named.
    const compliance = METRICS.find((m) => m.id === 'dcatApCompliance')!;
    expect(section).toContain('<code>dcatApCompliance</code>');
    expect(section).toContain(compliance.earn.en.replace(/'/g, '&#39;'));
    for (const id of WEB) expect(section).toContain(`<code>${id}</code>`);
    expect(section).toContain('href="/datasets/rik/quality?format=ttl"');
    // In Norwegian by default; no section on other kinds' pages.
    expect(await page('/datasets/tynn')).toContain('Metadatakvalitet');
    expect(await page('/catalogs/kvalitet')).not.toContain('id="quality"');
  });
});
