import { DataFactory } from 'n3';
import { describe, expect, it } from 'vitest';
import { parseRdf } from '../../src/core/parse.js';
import { searchFieldsOf } from '../../src/core/search-fields.js';

const { namedNode } = DataFactory;

/** What a search reads from a record: a pure function of its triples (docs/search.md). */

const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix cv: <http://data.europa.eu/m8g/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> . @prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
@prefix access: <http://publications.europa.eu/resource/authority/access-right/> . @prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .
@prefix cpsv: <http://purl.org/vocab/cpsv#> .`;

const fieldsOf = async (turtle: string, root: string) =>
  searchFieldsOf(await parseRdf(PREFIXES + turtle, 'turtle', { baseIRI: 'http://ex/' }), namedNode(root));

describe('the search fields of a record', () => {
  it('reads titles, keywords and descriptions with their languages, and the filter values of a dataset and its distributions', async () => {
    const fields = await fieldsOf(
      `<http://ex/d> a dcat:Dataset ; dct:title "Befolkningsstatistikk"@nb, "Population statistics"@en ; dct:description "Tal for folketalet"@nn ;
        dcat:keyword "Befolkning"@nb, "  BEFOLKNING "@nn, "people"@en ; dcat:theme theme:SOCI, <https://psi.norge.no/los/tema/befolkning> ;
        dct:accessRights access:PUBLIC ; dct:spatial <https://data.geonorge.no/administrativeEnheter/kommune/id/173018> ;
        dcat:distribution [ dct:format ft:CSV ; dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ; dct:license lic:NLOD_2_0 ],
          [ dct:format ft:CSV ; dct:license lic:CC_BY_4_0 ] .`,
      'http://ex/d',
    );
    expect(fields.texts.title).toEqual([
      { text: 'Befolkningsstatistikk', lang: 'nb' },
      { text: 'Population statistics', lang: 'en' },
    ]);
    expect(fields.texts.description).toEqual([{ text: 'Tal for folketalet', lang: 'nn' }]);
    expect(fields.texts.keyword.map((k) => k.lang)).toEqual(['nb', 'nn', 'en']);
    expect(fields.values.keyword).toEqual(['befolkning', 'people']);
    expect(fields.values.theme).toEqual(['http://publications.europa.eu/resource/authority/data-theme/SOCI', 'https://psi.norge.no/los/tema/befolkning']);
    expect(fields.values.format).toEqual([
      'http://publications.europa.eu/resource/authority/file-type/CSV',
      'https://www.iana.org/assignments/media-types/text/csv',
    ]);
    expect(fields.values.license).toHaveLength(2);
    expect(fields.values.accessRights).toEqual(['http://publications.europa.eu/resource/authority/access-right/PUBLIC']);
    expect(fields.values.openData).toEqual(['true']);
    expect(fields.values.spatial).toEqual(['https://data.geonorge.no/administrativeEnheter/kommune/id/173018']);
  });

  it('counts as open data only public data under an open licence', async () => {
    const restricted = await fieldsOf(
      `<http://ex/d> a dcat:Dataset ; dct:accessRights access:RESTRICTED ; dcat:distribution [ dct:license lic:NLOD_2_0 ] .`,
      'http://ex/d',
    );
    expect(restricted.values.openData).toEqual([]);
    const unlicensed = await fieldsOf(`<http://ex/d> a dcat:Dataset ; dct:accessRights access:PUBLIC .`, 'http://ex/d');
    expect(unlicensed.values.openData).toEqual([]);
  });

  it('reads the life and business events a service belongs to, and an event its own type', async () => {
    const service = await fieldsOf(
      `<http://ex/s> a cpsv:PublicService ; cv:thematicArea <https://psi.norge.no/los/tema/skole> ;
        cv:isGroupedBy <http://ex/e1>, <http://ex/e2> .
       <http://ex/e1> a cv:LifeEvent ; dct:type <http://ex/life/starte-skole> .
       <http://ex/e2> a cv:BusinessEvent .`,
      'http://ex/s',
    );
    expect(service.values.theme).toEqual(['https://psi.norge.no/los/tema/skole']);
    expect(service.values.lifeEvent).toEqual(['http://ex/e1', 'http://ex/life/starte-skole']);
    expect(service.values.businessEvent).toEqual(['http://ex/e2']);
    const event = await fieldsOf(`<http://ex/e1> a cv:LifeEvent ; dct:type <http://ex/life/starte-skole> .`, 'http://ex/e1');
    expect(event.values.lifeEvent).toEqual(['http://ex/e1', 'http://ex/life/starte-skole']);
  });

  it('reads only the root’s own values, not those of another node it mentions', async () => {
    const fields = await fieldsOf(
      `<http://ex/d> a dcat:Dataset ; dct:title "A"@nb ; dct:publisher <http://ex/org> .
       <http://ex/org> dct:title "Not the dataset"@nb ; dcat:keyword "org"@nb .`,
      'http://ex/d',
    );
    expect(fields.texts.title).toEqual([{ text: 'A', lang: 'nb' }]);
    expect(fields.values.keyword).toEqual([]);
  });
});
