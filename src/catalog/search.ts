import type { Quad, Quad_Object, Quad_Subject } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { KatalogError } from '../core/errors.js';
import { KINDS, type Kind, kindInfo } from '../core/kinds.js';
import { contextFor } from '../core/jsonld-context.js';
import { DCAT, DCT, FOAF, HYDRA, PREFIXES, RDF_TYPE, RDFS, XSD } from '../core/namespaces.js';
import { organisationOf } from '../core/organisations.js';
import { RATING_LABELS, RATINGS, type Rating } from '../core/quality-metrics.js';
import { normaliseKeyword, SEARCH_LANGUAGES, type SearchLanguage } from '../core/search-fields.js';
import { quadToNt } from '../core/rdf-terms.js';
import { literalsIn, renderRepresentations, type Representations, triplesOf } from '../core/serialize/representations.js';
import type { VocabularyIndex } from '../core/vocabularies.js';
import type { SearchCursor, SearchFilter, SearchQuery, SearchSort, Store, StoredRecord } from '../store/store.js';

const { namedNode, literal, blankNode, quad } = DataFactory;

/**
 * The query API (docs/search.md, The query API): what `GET /search` and `GET /{segment}` take, how
 * codes become the IRIs records use, and the page they answer with, as a model written out as
 * compacted JSON-LD (members embedded) or as triples for every other syntax.
 */

/** The filters a request may give, each repeatable (OR within one, AND across them). */
export const FILTER_PARAMETERS = [
  'kind',
  'publisher',
  'catalog',
  'theme',
  'keyword',
  'format',
  'accessRights',
  'license',
  'openData',
  'spatial',
  'lifeEvent',
  'businessEvent',
  'quality',
] as const satisfies readonly SearchFilter[];

/** The facets every answer counts (a kind's own list leaves out `kind`). */
export const FACETS = ['kind', 'publisher', 'theme', 'format', 'accessRights', 'license', 'openData', 'lifeEvent', 'businessEvent', 'quality'] as const;
export type Facet = (typeof FACETS)[number];

/** Every query parameter a search takes, for the 400 that names them. */
export const SEARCH_PARAMETERS = ['q', ...FILTER_PARAMETERS, 'modifiedSince', 'modifiedBefore', 'sort', 'lang', 'pageSize', 'cursor'] as const;

/** The variables of the hydra:search template: every parameter but the cursor, which only a next link gives. */
const TEMPLATE_VARIABLES = SEARCH_PARAMETERS.filter((p) => p !== 'cursor').join(',');

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** What a request asks, read and checked at the edge (times as ISO 8601). */
export interface SearchParameters {
  q?: string;
  filters: Partial<Record<(typeof FILTER_PARAMETERS)[number], string[]>>;
  modifiedSince?: string;
  modifiedBefore?: string;
  sort?: Exclude<SearchSort, 'position'>;
  lang: SearchLanguage;
  pageSize?: number;
  cursor?: string;
}

/** One value of a facet: its count, its labels by language, and the URL that adds it as a filter. */
export interface FacetValue {
  value: string;
  /** Whether the value is an IRI (else a literal: a keyword, a format given as text, `true`). */
  iri: boolean;
  count: number;
  labels: Record<string, string>;
  select: string;
}

/** A page of hits with everything around it (docs/search.md, The response). */
export interface SearchPage {
  /** The query's URL without paging: the hydra:Collection. */
  collection: string;
  /** This page's URL, the first page's, and the next one's when there are more hits. */
  page: string;
  first: string;
  next?: string;
  pageSize: number;
  total: number;
  hits: Array<{ record: StoredRecord; url: string }>;
  facets: Array<{ field: Facet; values: FacetValue[] }>;
  /** The URL template of the query (hydra:search). */
  template: string;
}

/** Katalog's own terms in a search answer: a facet, its values and counts, the link to a hit's record. */
export const searchNamespace = (baseUrl: string) => `${baseUrl}/ns#`;

/** Which vocabularies' codes a filter takes (the last path segment, or the last two: `text/csv`, `tema/helse`). */
const FIELD_SCHEMES: Partial<Record<SearchFilter, string[]>> = {
  theme: ['http://publications.europa.eu/resource/authority/data-theme', 'https://psi.norge.no/los/ontologi/tema', 'https://psi.norge.no/los/ontologi/ord'],
  format: ['http://publications.europa.eu/resource/authority/file-type', 'https://www.iana.org/assignments/media-types'],
  accessRights: ['http://publications.europa.eu/resource/authority/access-right'],
  license: ['http://publications.europa.eu/resource/authority/licence'],
  lifeEvent: ['https://data.norge.no/vocabulary/life-event-type', 'https://psi.norge.no/los/ontologi/hendelse'],
  businessEvent: ['https://data.norge.no/vocabulary/business-event-type'],
};

/** What each kind is called, in each search (and page) language. */
export const KIND_LABELS: Record<Kind, Record<SearchLanguage, string>> = {
  catalog: { nb: 'Katalog', nn: 'Katalog', en: 'Catalogue' },
  'dataset-series': { nb: 'Datasettserie', nn: 'Datasettserie', en: 'Dataset series' },
  dataset: { nb: 'Datasett', nn: 'Datasett', en: 'Dataset' },
  'data-service': { nb: 'Datatjeneste', nn: 'Datateneste', en: 'Data service' },
  service: { nb: 'Offentlig tjeneste', nn: 'Offentleg teneste', en: 'Public service' },
  event: { nb: 'Hendelse', nn: 'Hending', en: 'Event' },
};
const OPEN_DATA_LABELS = { nb: 'Åpne data', nn: 'Opne data', en: 'Open data' };

/** How long a publisher's name is kept once read from one of its records. */
const NAME_TTL_MS = 5 * 60 * 1000;

const isSearchLanguage = (lang: string): lang is SearchLanguage => (SEARCH_LANGUAGES as readonly string[]).includes(lang);

const isIri = (value: string) => /^[a-z][a-z0-9+.-]*:\S/i.test(value);

/** A cursor as a URL parameter: the store's cursor, base64url JSON. Anything else is refused. */
export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key ?? null, cursor.position, cursor.asOf ?? null])).toString('base64url');
}

export function decodeCursor(text: string): SearchCursor {
  const refuse = () => new KatalogError('invalid-request', 'The cursor is not one this server made: follow the next link as given.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw refuse();
  const [sort, key, position, asOf] = parsed as unknown[];
  const sorts: readonly unknown[] = ['position', 'modified', 'title', 'relevance', 'quality'];
  const keyOk =
    sort === 'position' ? key === null : sort === 'relevance' || sort === 'quality' ? Number.isSafeInteger(key) : typeof key === 'string' && key.length <= 1024;
  const asOfOk = sort === 'modified' ? Number.isSafeInteger(asOf) && (asOf as number) >= 0 : asOf === null;
  if (!sorts.includes(sort) || !keyOk || !asOfOk || !Number.isSafeInteger(position) || (position as number) < 0) throw refuse();
  return {
    sort: sort as SearchSort,
    position: position as number,
    ...(key !== null ? { key: key as string | number } : {}),
    ...(asOf !== null ? { asOf: asOf as number } : {}),
  };
}

export class Search {
  /** Per filter, its codes (lower case) and the IRIs each stands for. */
  private readonly codes = new Map<SearchFilter, Map<string, string[]>>();
  private readonly names = new Map<string, { labels: Record<string, string>; read: number }>();

  constructor(
    private readonly store: Store,
    private readonly vocabularies: VocabularyIndex,
    private readonly baseUrl: string,
  ) {
    for (const [field, schemes] of Object.entries(FIELD_SCHEMES) as Array<[SearchFilter, string[]]>) {
      const codes = new Map<string, string[]>();
      for (const scheme of schemes) {
        for (const { iri } of vocabularies.conceptsOf(scheme)) {
          const segments = iri.split(/[/#]/).filter((s) => s !== '');
          for (const code of [segments.at(-1), segments.slice(-2).join('/')]) {
            if (!code) continue;
            const key = code.toLowerCase();
            codes.set(key, [...new Set([...(codes.get(key) ?? []), iri])]);
          }
        }
      }
      this.codes.set(field, codes);
    }
  }

  /** The values a filter value stands for: an IRI as it is, a code as its IRIs, a format's text as written too. */
  resolve(field: SearchFilter, value: string): string[] {
    if (field === 'kind') {
      const info = KINDS.find((k) => k.kind === value || k.segment === value);
      if (!info) throw new KatalogError('invalid-request', `kind is one of ${KINDS.map((k) => k.kind).join(', ')}; ${JSON.stringify(value)} is not.`);
      return [info.kind];
    }
    if (field === 'openData' && value !== 'true') throw new KatalogError('invalid-request', 'openData takes only true (records that are open data).');
    if (field === 'quality') {
      if (!(RATINGS as readonly string[]).includes(value)) {
        throw new KatalogError(
          'invalid-request',
          `quality is one of ${RATINGS.join(', ')} (a dataset's rating: docs/quality.md); ${JSON.stringify(value.slice(0, 100))} is not.`,
        );
      }
      return [value];
    }
    if (field === 'keyword') return [normaliseKeyword(value)];
    if (isIri(value)) return [value];
    const codes = this.codes.get(field)?.get(value.toLowerCase()) ?? [];
    return field === 'format' ? [...codes, value.toLowerCase()] : codes.length > 0 ? codes : [value];
  }

  /**
   * One page of hits for `path` (`/search`, or a kind's `/{segment}` with `kind` fixed), with
   * facets and links.
   */
  async page(path: string, parameters: SearchParameters, only: SearchQuery['only'], kind?: Kind): Promise<SearchPage> {
    const filters: SearchQuery['filters'] = {};
    for (const [field, values] of Object.entries(parameters.filters) as Array<[SearchFilter, string[]]>) {
      filters[field] = [...new Set(values.flatMap((v) => this.resolve(field, v)))];
    }
    // On a kind's path a `kind` filter without that kind finds nothing ('-' is no kind).
    if (kind) filters.kind = !filters.kind || filters.kind.includes(kind) ? [kind] : ['-'];
    // A q without a word (an empty search box) asks for everything.
    const words = parameters.q !== undefined && /[\p{L}\p{N}]/u.test(parameters.q);
    const q = words ? parameters.q : undefined;
    const sort = parameters.sort ?? (words ? 'relevance' : 'modified');
    const pageSize = parameters.pageSize ?? DEFAULT_PAGE_SIZE;
    const facets = kind ? FACETS.filter((f) => f !== 'kind') : FACETS;
    const result = await this.store.search({
      q,
      filters,
      modifiedSince: parameters.modifiedSince,
      modifiedBefore: parameters.modifiedBefore,
      sort,
      lang: parameters.lang,
      after: parameters.cursor === undefined ? undefined : decodeCursor(parameters.cursor),
      limit: pageSize,
      facets,
      only,
    });

    const url = (extra: Record<string, string | undefined> = {}) => {
      const query = new URLSearchParams();
      if (parameters.q !== undefined) query.set('q', parameters.q);
      for (const field of FILTER_PARAMETERS) {
        for (const value of parameters.filters[field] ?? []) query.append(field, value);
      }
      if (parameters.modifiedSince) query.set('modifiedSince', parameters.modifiedSince);
      if (parameters.modifiedBefore) query.set('modifiedBefore', parameters.modifiedBefore);
      if (parameters.sort) query.set('sort', parameters.sort);
      if (sort === 'title') query.set('lang', parameters.lang);
      for (const [name, value] of Object.entries(extra)) if (value !== undefined) query.append(name, value);
      const text = query.toString();
      return `${this.baseUrl}${path}${text ? `?${text}` : ''}`;
    };
    const paged = (cursor?: string) => url({ pageSize: String(pageSize), cursor });

    /** Whether the query filters `field` by `value` already, as given or by a code that stands for it. */
    const chosen = (field: Facet, value: string) => (filters[field] ?? []).includes(value);
    const facetList: SearchPage['facets'] = [];
    for (const field of facets) {
      let counts = result.facets[field] ?? [];
      // A publisher is counted under its organisation number and its IRI: the number stands for both.
      if (field === 'publisher') counts = counts.filter((c) => organisationOf(c.value) === undefined);
      const values: FacetValue[] = [];
      for (const { value, count } of counts) {
        values.push({
          value,
          iri: isIri(value),
          count,
          labels: await this.labelsOf(field, value),
          select: chosen(field, value) ? url() : url({ [field]: value }),
        });
      }
      facetList.push({ field, values });
    }

    return {
      collection: url(),
      page: paged(parameters.cursor),
      first: paged(),
      ...(result.next ? { next: paged(encodeCursor(result.next)) } : {}),
      pageSize,
      total: result.total,
      hits: result.hits.map((record) => ({ record, url: `${this.baseUrl}/${kindInfo(record.kind).segment}/${record.id}` })),
      facets: facetList,
      template: `${this.baseUrl}${path}{?${TEMPLATE_VARIABLES}}`,
    };
  }

  /** A facet value's labels in nb, nn and en: a kind's, a concept's from vocab/, a publisher's foaf:name, an event record's title. */
  private async labelsOf(field: Facet, value: string): Promise<Record<string, string>> {
    if (field === 'kind') return KINDS.some((k) => k.kind === value) ? { ...KIND_LABELS[value as Kind] } : {};
    if (field === 'openData') return value === 'true' ? { ...OPEN_DATA_LABELS } : {};
    if (field === 'quality') return (RATINGS as readonly string[]).includes(value) ? { ...RATING_LABELS[value as Rating] } : {};
    if (field === 'publisher') return this.publisherName(value);
    const labels = this.vocabularies.labelsOf(value);
    if (!labels && (field === 'lifeEvent' || field === 'businessEvent')) return this.eventTitle(value);
    return Object.fromEntries(Object.entries(labels ?? {}).filter(([lang]) => isSearchLanguage(lang)));
  }

  /** A publisher's foaf:name by language, read from one of its records and kept a while. */
  private async publisherName(value: string): Promise<Record<string, string>> {
    return this.keptLabels(`publisher ${value}`, async () => {
      const [record] = (await this.store.search({ filters: { publisher: [value] }, limit: 1, only: 'nt' })).hits;
      return record?.publisher ? literalsByLanguage(record.nt, record.publisher, FOAF('name')) : {};
    });
  }

  /** An event's title by language, when the value is an event record of the store (cv:isGroupedBy links records), kept a while. */
  private async eventTitle(value: string): Promise<Record<string, string>> {
    return this.keptLabels(`event ${value}`, async () => {
      const record = isIri(value) ? await this.store.getByIri(value, 'nt') : undefined;
      return record ? literalsByLanguage(record.nt, record.iri, DCT('title')) : {};
    });
  }

  private async keptLabels(key: string, read: () => Promise<Record<string, string>>): Promise<Record<string, string>> {
    const kept = this.names.get(key);
    if (kept && Date.now() - kept.read < NAME_TTL_MS) return kept.labels;
    const labels = await read();
    if (this.names.size > 10_000) this.names.clear();
    this.names.set(key, { labels, read: Date.now() });
    return labels;
  }
}

/** The texts of `predicate` about `subject` in a record's N-Triples, one per search language (an untagged one or `no` taken as bokmål, the language Norwegian agencies name themselves in). */
function literalsByLanguage(nt: string, subject: string, predicate: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const { text, lang: tag } of literalsIn(nt, [{ subject, predicate }])[0]!) {
    const lang = tag.toLowerCase() === 'no' || tag === '' ? 'nb' : tag.toLowerCase();
    if (isSearchLanguage(lang)) labels[lang] ??= text;
  }
  return labels;
}

/**
 * The hydra:search template's variables and the property each filters by, where one does (`kind`
 * takes kind names, `catalog` the catalogues that list a record, the times are Katalog's own writes).
 */
const VARIABLE_PROPERTIES: Record<string, string> = {
  q: HYDRA('freetextQuery'),
  publisher: DCT('publisher'),
  theme: DCAT('theme'),
  keyword: DCAT('keyword'),
  format: DCT('format'),
  accessRights: DCT('accessRights'),
  license: DCT('license'),
  spatial: DCT('spatial'),
  lifeEvent: `${PREFIXES.cv}isGroupedBy`,
  businessEvent: `${PREFIXES.cv}isGroupedBy`,
};

const variablesOf = (template: string) => template.slice(template.indexOf('{?') + 2, -1).split(',');

/** The terms of Katalog's context the page itself uses (contextFor keeps those a text names). */
const PAGE_TERMS = '"Collection" "PartialCollectionView" "totalItems" "member" "view" "first" "next" "hydra:" "rdfs:"';

/** The context of a compacted answer: Katalog's context, and the terms of the page around the records. */
function searchContext(baseUrl: string, texts: string[]): Record<string, unknown> {
  return {
    ...contextFor([...texts, PAGE_TERMS]),
    katalog: searchNamespace(baseUrl),
    itemsPerPage: 'hydra:itemsPerPage',
    search: 'hydra:search',
    IriTemplate: 'hydra:IriTemplate',
    template: 'hydra:template',
    variableRepresentation: { '@id': 'hydra:variableRepresentation', '@type': '@id' },
    mapping: 'hydra:mapping',
    variable: 'hydra:variable',
    property: { '@id': 'hydra:property', '@type': '@id' },
    required: 'hydra:required',
    url: { '@id': 'katalog:record', '@type': '@id' },
    facet: 'katalog:facet',
    field: 'katalog:field',
    values: 'katalog:facetValue',
    value: 'katalog:value',
    count: 'katalog:count',
    labels: { '@id': 'rdfs:label', '@container': '@language' },
    select: { '@id': 'katalog:select', '@type': '@id' },
  };
}

/**
 * The page as compacted JSON-LD: the collection is the top node, each member the record's own
 * compacted node (as stored) with `url`, the page's link to the record in Katalog; nodes the
 * records describe besides themselves (a publisher) are `@included`.
 */
export function pageAsJsonLd(page: SearchPage, baseUrl: string): string {
  const members: object[] = [];
  const included = new Map<string, object>(); // a node several hits describe alike, once
  for (const { record, url } of page.hits) {
    const nodes = JSON.parse(`[${record.jsonld}]`) as Array<Record<string, unknown>>;
    const root = nodes.find((n) => n.id === record.iri) ?? { id: record.iri };
    members.push({ ...root, url });
    for (const node of nodes) if (node !== root) included.set(JSON.stringify(node), node);
  }
  const view: Record<string, unknown> = { id: page.page, type: 'PartialCollectionView', first: page.first, itemsPerPage: page.pageSize };
  if (page.next) view.next = page.next;
  const document = {
    '@context': searchContext(
      baseUrl,
      page.hits.map((h) => h.record.jsonld),
    ),
    id: page.collection,
    type: 'Collection',
    totalItems: page.total,
    view,
    search: {
      type: 'IriTemplate',
      template: page.template,
      variableRepresentation: 'hydra:BasicRepresentation',
      mapping: variablesOf(page.template).map((variable) => ({
        type: 'hydra:IriTemplateMapping',
        variable,
        ...(VARIABLE_PROPERTIES[variable] ? { property: VARIABLE_PROPERTIES[variable] } : {}),
        required: false,
      })),
    },
    facet: page.facets.map(({ field, values }) => ({
      field,
      values: values.map((v) => ({ value: v.iri ? { id: v.value } : v.value, count: v.count, labels: v.labels, select: v.select })),
    })),
    member: members,
    ...(included.size > 0 ? { '@included': [...included.values()] } : {}),
  };
  return JSON.stringify(document) + '\n';
}

/**
 * The page as one representation for every other syntax: the hits' triples (read with `nt`) and the
 * page's own, each distinct triple once (the same graph as pageAsJsonLd's:
 * test/http/jsonld-forms.test.ts compares them).
 */
export function pageAsRepresentations(page: SearchPage, baseUrl: string): Representations[] {
  const ns = searchNamespace(baseUrl);
  const triples: Quad[] = [];
  let blank = 0;
  const node = () => blankNode(`katalog-search-${blank++}`);
  const add = (s: Quad_Subject, p: string, o: Quad_Object) => triples.push(quad(s, namedNode(p), o));
  const integer = (n: number) => literal(String(n), namedNode(XSD('integer')));
  const collection = namedNode(page.collection);
  add(collection, RDF_TYPE, namedNode(HYDRA('Collection')));
  add(collection, HYDRA('totalItems'), integer(page.total));
  for (const { record, url } of page.hits) {
    add(collection, HYDRA('member'), namedNode(record.iri));
    add(namedNode(record.iri), `${ns}record`, namedNode(url));
  }
  const view = namedNode(page.page);
  add(collection, HYDRA('view'), view);
  add(view, RDF_TYPE, namedNode(HYDRA('PartialCollectionView')));
  add(view, HYDRA('first'), namedNode(page.first));
  add(view, HYDRA('itemsPerPage'), integer(page.pageSize));
  if (page.next) add(view, HYDRA('next'), namedNode(page.next));
  const template = node();
  add(collection, HYDRA('search'), template);
  add(template, RDF_TYPE, namedNode(HYDRA('IriTemplate')));
  add(template, HYDRA('template'), literal(page.template));
  add(template, HYDRA('variableRepresentation'), namedNode(HYDRA('BasicRepresentation')));
  for (const variable of variablesOf(page.template)) {
    const mapping = node();
    add(template, HYDRA('mapping'), mapping);
    add(mapping, RDF_TYPE, namedNode(HYDRA('IriTemplateMapping')));
    add(mapping, HYDRA('variable'), literal(variable));
    if (VARIABLE_PROPERTIES[variable]) add(mapping, HYDRA('property'), namedNode(VARIABLE_PROPERTIES[variable]));
    add(mapping, HYDRA('required'), literal('false', namedNode(XSD('boolean'))));
  }
  for (const { field, values } of page.facets) {
    const facet = node();
    add(collection, `${ns}facet`, facet);
    add(facet, `${ns}field`, literal(field));
    for (const v of values) {
      const value = node();
      add(facet, `${ns}facetValue`, value);
      add(value, `${ns}value`, v.iri ? namedNode(v.value) : literal(v.value));
      add(value, `${ns}count`, integer(v.count));
      for (const [lang, label] of Object.entries(v.labels)) add(value, RDFS('label'), literal(label, lang));
      add(value, `${ns}select`, namedNode(v.select));
    }
  }
  const seen = new Set<string>();
  const hits: Quad[] = [];
  for (const { record } of page.hits) {
    for (const q of triplesOf(record.nt)) {
      const key = quadToNt(q);
      if (!seen.has(key)) hits.push(q);
      seen.add(key);
    }
  }
  return [renderRepresentations([...hits, ...triples], collection)];
}
