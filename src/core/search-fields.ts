import type { Quad, Term } from '@rdfjs/types';
import { CV, DCAT, DCT, RDF_TYPE } from './namespaces.js';
import type { QualityIndex } from './quality.js';
import { groupBySubject, termKey } from './rdf-terms.js';

/**
 * What a search reads from a record (docs/search.md): its texts per field and language, and the
 * values it can be filtered and counted by. A pure function of the record's triples, beside the
 * record model: the store indexes what it returns and never reads RDF itself. Bookkeeping the store
 * already has (kind, publisher, organisation, catalogue, modification time) is not repeated here.
 */

/** The text fields, in the order of their weight in ranking (a title match above a keyword match above a description match). */
export const TEXT_FIELDS = ['title', 'keyword', 'description'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** The value fields a search filters and counts by, besides the store's own (kind, publisher, catalog). */
export const VALUE_FIELDS = ['theme', 'keyword', 'format', 'accessRights', 'license', 'openData', 'spatial', 'lifeEvent', 'businessEvent'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/** A text and its language tag ('' when it has none). */
export interface Text {
  text: string;
  lang: string;
}

export interface SearchFields {
  texts: Record<TextField, Text[]>;
  /** Each field's values, each once, in order of appearance. */
  values: Record<ValueField, string[]>;
  /**
   * A dataset's quality score and rating (docs/quality.md): not read from the triples alone (it
   * needs the vocabularies and the record's validation), so the record pipeline adds it.
   */
  quality?: QualityIndex;
}

const ACCESS_PUBLIC = 'http://publications.europa.eu/resource/authority/access-right/PUBLIC';

/**
 * Licences that make public data open data, as Felles datakatalog counts it: the Norwegian licence
 * for open government data and the Creative Commons licences that allow reuse for any purpose.
 */
export const OPEN_LICENCES: ReadonlySet<string> = new Set(
  ['NLOD_1_0', 'NLOD_2_0', 'CC0', 'CC_BY_4_0', 'CC_BY_3_0', 'CC_BY_2_5', 'CC_BY_SA_4_0', 'CC_BYSA_4_0', 'ODC_BY', 'ODC_PDDL', 'ODBL'].map(
    (code) => `http://publications.europa.eu/resource/authority/licence/${code}`,
  ),
);
const OPEN_LICENCE_URLS = [
  'https://data.norge.no/nlod/',
  'http://data.norge.no/nlod/',
  'https://creativecommons.org/licenses/by/',
  'https://creativecommons.org/publicdomain/zero/',
];

/** Whether a licence IRI is an open licence (OPEN_LICENCES, or an NLOD or Creative Commons URL). */
export const isOpenLicence = (iri: string): boolean => OPEN_LICENCES.has(iri) || OPEN_LICENCE_URLS.some((prefix) => iri.startsWith(prefix));

/** Lower case, Unicode NFC, inner white space as one space: how keywords are compared. */
export function normaliseKeyword(text: string): string {
  return text.normalize('NFC').toLowerCase().trim().replace(/\s+/g, ' ');
}

export function searchFieldsOf(quads: Quad[], root: Term): SearchFields {
  const bySubject = groupBySubject(quads);
  const about = (subject: Term | string, predicate: string): Term[] =>
    (bySubject.get(typeof subject === 'string' ? subject : termKey(subject)) ?? []).filter((q) => q.predicate.value === predicate).map((q) => q.object);
  const iris = (terms: Term[]) => terms.filter((t) => t.termType === 'NamedNode').map((t) => t.value);
  const texts = (predicate: string): Text[] =>
    about(root, predicate)
      .filter((t) => t.termType === 'Literal')
      .map((t) => ({ text: t.value, lang: (t as Term & { language: string }).language ?? '' }));
  const typesOf = (node: Term) => new Set(iris(about(node, RDF_TYPE)));

  const distributions = about(root, DCAT('distribution'));
  const formats = distributions.flatMap((d) => [...about(d, DCT('format')), ...about(d, DCAT('mediaType'))]);
  const licences = [...about(root, DCT('license')), ...distributions.flatMap((d) => about(d, DCT('license')))];
  const accessRights = iris(about(root, DCT('accessRights')));
  const events = about(root, CV('isGroupedBy'));
  const ownTypes = typesOf(root);
  /**
   * Events of one kind a record belongs to: those grouping a service, or the event itself, with their
   * types (dct:type). An event the record names without saying its class (it is a record of its
   * own) counts as either kind, so that filtering by its IRI finds the services it groups.
   */
  const eventsOf = (cls: string) => {
    const grouping = events.filter((e) => {
      const types = typesOf(e);
      return types.has(cls) || (!types.has(CV('LifeEvent')) && !types.has(CV('BusinessEvent')));
    });
    const nodes = [...grouping, ...(ownTypes.has(cls) ? [root] : [])];
    return [...nodes.filter((n) => n.termType === 'NamedNode').map((n) => n.value), ...nodes.flatMap((n) => iris(about(n, DCT('type'))))];
  };
  const formatValues = formats.map((t) => (t.termType === 'Literal' ? t.value.trim().toLowerCase() : t.value));
  const licenceValues = iris(licences);

  const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ''))];
  return {
    texts: {
      title: texts(DCT('title')),
      keyword: texts(DCAT('keyword')),
      description: texts(DCT('description')),
    },
    values: {
      theme: unique([...iris(about(root, DCAT('theme'))), ...iris(about(root, CV('thematicArea')))]),
      keyword: unique(
        about(root, DCAT('keyword'))
          .filter((t) => t.termType === 'Literal')
          .map((t) => normaliseKeyword(t.value)),
      ),
      format: unique(formatValues),
      accessRights: unique(accessRights),
      license: unique(licenceValues),
      openData: accessRights.includes(ACCESS_PUBLIC) && licenceValues.some(isOpenLicence) ? ['true'] : [],
      spatial: unique(iris(about(root, DCT('spatial')))),
      lifeEvent: unique(eventsOf(CV('LifeEvent'))),
      businessEvent: unique(eventsOf(CV('BusinessEvent'))),
    },
  };
}

/** The languages a search sorts titles and labels in (docs/search.md, Sorting). */
export const SEARCH_LANGUAGES = ['nb', 'nn', 'en'] as const;
export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

/** Per language, the title tags tried in turn: the language, its neighbours, untagged, then any. */
const TITLE_PREFERENCE: Record<SearchLanguage, string[]> = {
  nb: ['nb', 'no', 'nn', '', 'en'],
  nn: ['nn', 'no', 'nb', '', 'en'],
  en: ['en', '', 'nb', 'no', 'nn'],
};

/**
 * A title as it sorts in Norwegian (docs/search.md, Sorting): case and accents folded (é as e),
 * while æ, ø and å stay letters after z, in that order. The key is compared as plain text.
 */
export function titleSortKey(title: string): string {
  return title
    .normalize('NFD')
    .toLowerCase()
    .replace(/a\u030a/g, '}')
    .replace(/\p{M}/gu, '')
    .replace(/æ/g, '{')
    .replace(/ø/g, '|')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The record's title sort key per search language; undefined when it has no title. */
export function titleKeys(fields: SearchFields | undefined): Record<SearchLanguage, string | undefined> {
  const titles = fields?.texts.title ?? [];
  const pick = (lang: SearchLanguage) => {
    for (const tag of TITLE_PREFERENCE[lang]) {
      const found = titles.find((t) => t.lang.toLowerCase() === tag);
      if (found) return titleSortKey(found.text);
    }
    return titles[0] && titleSortKey(titles[0].text);
  };
  return { nb: pick('nb'), nn: pick('nn'), en: pick('en') };
}
