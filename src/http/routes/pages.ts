import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { ValidationOutcome } from '../../catalog/body-work.js';
import type { PageLanguage } from '../../catalog/property-labels.js';
import { compactView, type LinkedRecord, linkedIris, pickText, type RecordView, type Text, textsOf } from '../../catalog/record-view.js';
import { viewOf } from '../../catalog/body-work.js';
import { schemaOrgOf, scriptJson } from '../../catalog/schema-org.js';
import { type Facet, FILTER_PARAMETERS, KIND_LABELS, Search, type SearchPage } from '../../catalog/search.js';
import type { BodyWork } from '../../catalog/work-pool.js';
import { KatalogError } from '../../core/errors.js';
import { KINDS, type Kind, kindInfo } from '../../core/kinds.js';
import { DCT, FOAF } from '../../core/namespaces.js';
import { literalsIn } from '../../core/serialize/representations.js';
import { localPath } from '../../catalog/record-ids.js';
import type { VocabularyIndex } from '../../core/vocabularies.js';
import type { QualityReports } from './quality.js';
import { qualityView } from '../pages/quality-view.js';
import type { Store, StoredRecord } from '../../store/store.js';
import { alternatesOf, canonicalUrl, type PageFrame, type PageRenderer, pageEtag, pageLanguage, sendPage, withParameter } from '../pages/page-renderer.js';
import { reportView, type ReportView } from '../pages/report-view.js';
import { stringsFor } from '../pages/strings.js';
import { isNotModified } from '../etags.js';
import type { RecordCache } from '../record-cache.js';
import { type PageQuery, pageQuery, type RecordIdParams, recordIdParams, searchQuery, type SearchQueryString } from '../schemas.js';
import { refuseUnknownSearchParameters, searchParametersOf } from './search.js';

export interface PageRouteOptions {
  store: Store;
  vocabularies: VocabularyIndex;
  baseUrl: string;
  renderer: PageRenderer;
  /** Where a record's validation report is made (worker threads in a server). */
  work: BodyWork;
  /** Pages kept as sent while nothing is written (the single-record cache); none: always rendered. */
  cache?: RecordCache;
  /** Datasets' quality reports (docs/quality.md), shown on their pages; none: not shown. */
  quality?: QualityReports;
}

/** Records with more N-Triples than this have their page's model built by the work pool (as their RDF/XML is). */
const LARGE_RECORD = 64 * 1024;

/** The most a page may weigh (docs/pages.md, Safety). */
const MAX_PAGE_BYTES = 100 * 1024;

/** Pages larger than this are not kept (none should be: MAX_PAGE_BYTES). */
const MAX_KEPT_PAGE = 256 * 1024;

/** Chosen filters a search page lists with a link that removes each. */
const MAX_LISTED_FILTERS = 20;

/** Results of a record's validation its page shows (the validator shows more). */
const RECORD_REPORT_RESULTS = 25;

/** Routes of this plugin answer only requests that ask for a page (app.ts, the `representation` constraint). */
export const PAGE = { representation: 'page' } as const;

/** The pages of records, catalogues, search and the start page (docs/pages.md). */
export async function pageRoutes(
  app: FastifyInstance,
  { store, vocabularies, baseUrl, renderer, work, cache, quality: qualityReports }: PageRouteOptions,
): Promise<void> {
  const search = new Search(store, vocabularies, baseUrl);
  const local = localPath(baseUrl);
  /** A validation report per record version and message language: records are validated once, not per page. */
  const reports = new LRUCache<string, ReportView>({ maxSize: 16 * 2 ** 20, sizeCalculation: (view) => view.size });

  /**
   * A page of the store's content: kept while nothing is written, tagged by the store's change
   * number (anything shown, a linked record's title too, may change with any write).
   */
  const storePage = async (request: FastifyRequest, reply: FastifyReply, build: (lang: PageLanguage) => Promise<string>, exists?: () => Promise<void>) => {
    const lang = pageLanguage(request);
    // Keyed by what the page is made of: the path and the parameters the route's schema kept, so
    // that no parameter a page does not read makes another entry.
    const key = `page ${lang} ${canonicalUrl(request)}`;
    const mark = store.changeMark();
    const kept = cache?.unchanged(key, mark);
    if (kept) return sendPage(request, reply, lang, kept.body, kept.version);
    await exists?.();
    const version = await store.version();
    const tag = `s${version.lastSeq}`;
    if (isNotModified(request.headers, pageEtag(tag, lang))) return sendPage(request, reply, lang, '', tag);
    const body = Buffer.from(await build(lang));
    if (body.length <= MAX_KEPT_PAGE) cache?.set(key, { version: tag, modified: version.lastModified ?? '', body, mark });
    return sendPage(request, reply, lang, body, tag);
  };

  /** Links of a page keep the language the reader chose with ?lang=. */
  const keepLanguage = (request: FastifyRequest, url: string) => {
    const asked = (request.query as PageQuery).lang;
    return asked ? withParameter(url, 'lang', asked) : url;
  };

  const hitsOf = (records: StoredRecord[], urlOf: (r: StoredRecord) => string, lang: PageLanguage) =>
    records.map((record) => hitView(record, urlOf(record), lang));

  const validationOf = async (record: StoredRecord, lang: PageLanguage) => {
    const language = lang === 'en' ? 'en' : 'nb';
    const key = `${record.iri} ${record.version} ${language}`;
    let report = reports.get(key);
    if (!report) {
      const outcome = (await work.run({ task: 'validate', body: record.nt, format: 'ntriples', answer: 'json', language })) as ValidationOutcome;
      reports.set(key, (report = reportView(JSON.parse(outcome.json!), RECORD_REPORT_RESULTS)));
    }
    return report;
  };

  /** Which IRIs are records, and their titles: remembered while nothing is written (most links are not records). */
  const known = { mark: '', records: new Map<string, LinkedRecord | null>() };
  const linkedRecords = async (iris: string[]) => {
    const mark = store.changeMark();
    if (mark !== known.mark || known.records.size > 10_000) known.records.clear();
    known.mark = mark;
    const found = new Map<string, LinkedRecord>();
    for (const iri of iris) {
      let linked = known.records.get(iri);
      if (linked === undefined) {
        const record = await store.getByIri(iri, 'nt');
        linked = record ? { url: `/${kindInfo(record.kind).segment}/${record.id}`, kind: record.kind, titles: rootTexts(record).titles } : null;
        // Remembered only under the mark it was read in: a write meanwhile has started another.
        if (known.mark === mark) known.records.set(iri, linked);
      }
      if (linked) found.set(iri, linked);
    }
    return found;
  };

  const recordPage = async (request: FastifyRequest<{ Params: RecordIdParams; Querystring: PageQuery }>, reply: FastifyReply, kind: Kind) => {
    const notFound = () => new KatalogError('not-found', `No ${kindInfo(kind).label} has the id ${request.params.id}.`);
    // A record that is not there is 404, also to a client that sends some page's ETag.
    const exists = async () => {
      if (!(await store.head(kind, request.params.id))) throw notFound();
    };
    return storePage(
      request,
      reply,
      async (lang) => {
        const record = await store.get(kind, request.params.id, 'nt');
        if (!record) throw notFound();
        const linked = await linkedRecords(linkedIris(record.nt, record.iri, vocabularies));
        const task = { task: 'view' as const, nt: record.nt, iri: record.iri, kind, lang, linked: [...linked] };
        // A large record's model is built where large records' RDF/XML is written: not in the event loop.
        const view = record.nt.length > LARGE_RECORD ? ((await work.run(task)) as RecordView) : viewOf(task, baseUrl, vocabularies);
        const path = `/${kindInfo(kind).segment}/${record.id}`;
        let members: { total: number; hits: ReturnType<typeof hitsOf>; all: string } | undefined;
        if (kind === 'catalog') {
          const page = await search.page('/search', { filters: { catalog: [record.iri] }, lang, pageSize: 20 }, 'nt');
          members = {
            total: page.total,
            hits: hitsOf(
              page.hits.map((h) => h.record),
              pathOf,
              lang,
            ),
            all: keepLanguage(request, `/search?catalog=${encodeURIComponent(record.iri)}`),
          };
        }
        const schemaOrg = schemaOrgOf(
          view,
          `${baseUrl}${path}`,
          lang,
          members?.hits.map((h) => ({ url: `${baseUrl}${h.url}`, title: h.title.text })),
        );
        const alternates = alternatesOf(path);
        const frame: PageFrame = {
          title: view.title.text,
          alternates,
          schemaOrg: scriptJson(schemaOrg),
          section: kind === 'catalog' ? 'catalogues' : 'search',
        };
        const report = await validationOf(record, lang);
        const scored = kind === 'dataset' && qualityReports ? await qualityReports.of(record, async () => record) : undefined;
        const quality = scored && qualityView(scored, lang, path);
        const page = (shown: RecordView, listed = members) =>
          renderer.render('record', lang, request, frame, {
            view: shown,
            members: listed,
            report,
            quality,
            alternates,
            modified: record.modified,
            kindName: KIND_LABELS[kind][lang],
          });
        // The model's bounds keep a page small; a record whose page would still be larger shows its
        // key facts only (and a catalogue its first five records, without their descriptions).
        const fewer = members && { ...members, hits: members.hits.slice(0, 5).map((hit) => ({ ...hit, description: undefined })) };
        return withinPage([() => page(view), () => page(compactView(view), fewer)]);
      },
      exists,
    );
  };

  const searchPage = async (request: FastifyRequest<{ Querystring: SearchQueryString }>, reply: FastifyReply, path: string, kind?: Kind) =>
    storePage(request, reply, async (lang) => {
      const parameters = { ...searchParametersOf(request), lang };
      const page = await search.page(path, parameters, 'nt', kind);
      const s = stringsFor(lang);
      const link = (url: string) => keepLanguage(request, local(url));
      const facetLabel = (field: Facet, value: string): Text =>
        pickText(textsOf(page.facets.find((f) => f.field === field)?.values.find((v) => v.value === value)?.labels ?? {}), lang) ?? { text: value, lang: '' };
      const chosen = FILTER_PARAMETERS.flatMap((field) =>
        (parameters.filters[field] ?? []).map((value) => ({
          field: s.facets[field],
          label: field === 'kind' ? { text: KIND_LABELS[value as Kind]?.[lang] ?? value, lang } : facetLabel(field as Facet, value),
          remove: link(withoutFilter(canonicalUrl(request), field, value)),
        })),
      );
      // The first chosen filters are listed, each with a link that removes it (the form keeps them all).
      const active = chosen.slice(0, MAX_LISTED_FILTERS);
      const heading = kind ? KIND_LABELS[kind][lang] : s.search;
      const hits = hitsOf(
        page.hits.map((h) => h.record),
        pathOf,
        lang,
      );
      const facets = facetsOf(page, lang, link);
      const render = (shownHits: typeof hits, shownFacets: typeof facets) =>
        renderer.render(
          'search',
          lang,
          request,
          { title: parameters.q ? `${parameters.q} – ${heading}` : heading, section: 'search' },
          {
            heading,
            form: searchForm(path, lang, page, parameters, kind),
            active,
            total: page.total,
            hits: shownHits,
            ...(page.next ? { next: link(page.next), first: link(page.first) } : parameters.cursor ? { first: link(page.first) } : {}),
            facets: shownFacets,
          },
        );
      // Long texts or a long query (each facet link repeats it) could make the page too large: then
      // the hits without their descriptions and five values a facet, then no facets.
      const brief = hits.map((hit) => ({ ...hit, description: undefined }));
      return withinPage([
        () => render(hits, facets),
        () =>
          render(
            brief,
            facets.map((f) => ({ ...f, values: f.values.slice(0, 5) })),
          ),
        () => render(brief, []),
      ]);
    });

  app.get<{ Querystring: PageQuery }>('/', { schema: { querystring: pageQuery }, constraints: PAGE }, async (request, reply) =>
    storePage(request, reply, async (lang) => {
      const page = await search.page('/search', { filters: {}, lang, pageSize: 1 }, 'nt');
      const counts = new Map(page.facets.find((f) => f.field === 'kind')?.values.map((v) => [v.value, v.count]));
      const kinds = KINDS.map((k) => ({ name: KIND_LABELS[k.kind][lang], href: keepLanguage(request, `/${k.segment}`), count: counts.get(k.kind) ?? 0 }));
      // Eta's include sees the including page's data too: the form names every field it reads.
      const form = { s: stringsFor(lang), action: '/search', q: undefined, kinds: undefined, sorts: undefined, hidden: hiddenLanguage(request) };
      return renderer.render('start', lang, request, { title: stringsFor(lang).start }, { counts: kinds, form, base: baseUrl, example: 'helse' });
    }),
  );

  app.get<{ Querystring: PageQuery }>('/catalog', { schema: { querystring: pageQuery }, constraints: PAGE }, async (request, reply) =>
    storePage(request, reply, async (lang) => {
      const page = await search.page('/search', { filters: { kind: ['catalog'] }, lang, pageSize: 100 }, 'nt');
      const alternates = alternatesOf('/catalog');
      const frame: PageFrame = { title: stringsFor(lang).catalogues, alternates, section: 'catalogues' };
      const hits = hitsOf(
        page.hits.map((h) => h.record),
        pathOf,
        lang,
      );
      // Up to 100 catalogues with their descriptions; fewer, without, when that would be too large.
      const render = (shown: typeof hits, more: boolean) =>
        renderer.render('catalogs', lang, request, frame, {
          hits: shown,
          ...(more ? { next: keepLanguage(request, '/search?kind=catalog') } : {}),
          alternates,
        });
      const brief = hits.map((hit) => ({ ...hit, description: undefined }));
      return withinPage([() => render(hits, !!page.next), () => render(brief, !!page.next), () => render(brief.slice(0, 20), hits.length > 20 || !!page.next)]);
    }),
  );

  for (const info of KINDS) {
    app.get<{ Params: RecordIdParams; Querystring: PageQuery }>(
      `/${info.segment}/:id`,
      { schema: { params: recordIdParams, querystring: pageQuery }, constraints: PAGE },
      (request, reply) => recordPage(request, reply, info.kind),
    );
    app.get<{ Querystring: SearchQueryString }>(
      `/${info.segment}`,
      { schema: { querystring: searchQuery }, preValidation: [dropEmptyValues, refuseUnknownSearchParameters], constraints: PAGE },
      (request, reply) => searchPage(request, reply, `/${info.segment}`, info.kind),
    );
  }
  app.get<{ Querystring: SearchQueryString }>(
    '/search',
    { schema: { querystring: searchQuery }, preValidation: [dropEmptyValues, refuseUnknownSearchParameters], constraints: PAGE },
    (request, reply) => searchPage(request, reply, '/search'),
  );
}

/**
 * A search page's address is bounded (every facet link and every remove link repeats its query);
 * the query API takes longer ones.
 */
const MAX_PAGE_URL = 2048;

/** A form sends every field, chosen or not: on a page, an empty value ("All kinds") is no filter. */
async function dropEmptyValues(request: FastifyRequest): Promise<void> {
  if (request.url.length > MAX_PAGE_URL) {
    throw new KatalogError(
      'invalid-request',
      `A search page's address is at most ${MAX_PAGE_URL} characters; the query API (Accept: application/ld+json) takes longer ones.`,
    );
  }
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (name === 'q') continue;
    const kept = Array.isArray(value) ? value.filter((v) => v !== '') : value === '' ? [] : [value];
    if (kept.length === 0) delete query[name];
    else if (Array.isArray(value)) query[name] = kept;
  }
}

const pathOf = (record: StoredRecord) => `/${kindInfo(record.kind).segment}/${record.id}`;

const hiddenLanguage = (request: FastifyRequest) => {
  const asked = (request.query as PageQuery).lang;
  return asked ? [{ name: 'lang', value: asked }] : [];
};

/** A search URL (path and query) without one filter value, and without its cursor (the hits change). */
function withoutFilter(url: string, field: string, value: string): string {
  const at = url.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  const kept = query.getAll(field).filter((v) => v !== value);
  query.delete(field);
  query.delete('cursor');
  for (const v of kept) query.append(field, v);
  const text = query.toString();
  return `${at === -1 ? url : url.slice(0, at)}${text ? `?${text}` : ''}`;
}

/** A stored record's titles and descriptions, and its publisher's names, read from its N-Triples. */
function rootTexts(record: StoredRecord): { titles: Text[]; descriptions: Text[]; publisher: Text[] } {
  const [titles, descriptions, publisher] = literalsIn(record.nt, [
    { subject: record.iri, predicate: DCT('title') },
    { subject: record.iri, predicate: DCT('description') },
    { subject: record.publisher ?? '', predicate: FOAF('name') },
  ]);
  return { titles: titles!, descriptions: descriptions!, publisher: publisher! };
}

/** A hit as a page lists it: title, kind, publisher, date, the start of its description. */
function hitView(record: StoredRecord, url: string, lang: PageLanguage) {
  const texts = rootTexts(record);
  return {
    url,
    title: pickText(texts.titles, lang, 200) ?? { text: record.iri.slice(0, 200), lang: '' },
    kind: KIND_LABELS[record.kind][lang],
    publisher: pickText(texts.publisher, lang, 100),
    modified: record.modified,
    description: pickText(texts.descriptions, lang, 300),
  };
}

/** The first of `variants` of a page that weighs at most MAX_PAGE_BYTES (or the last, the least). */
function withinPage(variants: Array<() => string>): string {
  let page = '';
  for (const variant of variants) {
    page = variant();
    if (Buffer.byteLength(page) <= MAX_PAGE_BYTES) break;
  }
  return page;
}

function searchForm(path: string, lang: PageLanguage, page: SearchPage, parameters: ReturnType<typeof searchParametersOf>, kind?: Kind) {
  const s = stringsFor(lang);
  const chosenKind = parameters.filters.kind?.[0];
  const sort = parameters.sort ?? (parameters.q ? 'relevance' : 'modified');
  const hidden: Array<{ name: string; value: string }> = FILTER_PARAMETERS.filter((f) => f !== 'kind' || kind).flatMap((field) =>
    (parameters.filters[field] ?? []).map((value) => ({ name: field, value })),
  );
  for (const name of ['modifiedSince', 'modifiedBefore'] as const) if (parameters[name]) hidden.push({ name, value: parameters[name] });
  hidden.push({ name: 'lang', value: lang });
  return {
    s,
    action: path,
    q: parameters.q,
    kinds: kind ? undefined : KINDS.map((k) => ({ kind: k.kind, name: KIND_LABELS[k.kind][lang], selected: k.kind === chosenKind })),
    sorts: [
      { value: 'relevance', name: s.sortRelevance },
      { value: 'modified', name: s.sortModified },
      { value: 'title', name: s.sortTitle },
      { value: 'quality', name: s.sortQuality },
    ].map((o) => ({ ...o, selected: o.value === sort })),
    hidden,
    total: page.total,
  };
}

function facetsOf(page: SearchPage, lang: PageLanguage, link: (url: string) => string) {
  const s = stringsFor(lang);
  return page.facets
    .filter((f) => f.values.length > 0)
    .map((f) => ({
      name: s.facets[f.field],
      values: f.values.slice(0, 40).map((v) => ({
        label: pickText(textsOf(v.labels), lang, 100) ?? { text: v.value.slice(0, 100), lang: '' },
        count: v.count,
        href: link(v.select),
        // A chosen value's link removes it: it leads back to the query without it.
        chosen: v.select === page.collection,
      })),
    }));
}
