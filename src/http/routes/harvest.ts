import type { FastifyInstance } from 'fastify';
import { catalogWithMembers, rootCatalog, type Selection } from '../../catalog/views.js';
import { KatalogError } from '../../core/errors.js';
import { KINDS } from '../../core/kinds.js';
import type { BodyWork } from '../../catalog/work-pool.js';
import { rdfXmlPart, renderDocument, representationOf } from '../../core/documents.js';
import { type Format, formatKey } from '../../core/media-types.js';
import type { Store } from '../../store/store.js';
import type { DocumentCache } from '../document-cache.js';
import type { RecordCache } from '../record-cache.js';
import { chooseFormat, sendRdf } from '../rdf-replies.js';
import { readTime } from '../times.js';
import { type CatalogQuery, catalogQuery, formatQuery, type RecordIdParams, recordIdParams } from '../schemas.js';

export interface HarvestRouteOptions {
  store: Store;
  baseUrl: string;
  /** Where whole catalogues are kept as files between writes; none: always assembled. */
  cache?: DocumentCache;
  /** Rendered single records kept in memory; none: always rendered. */
  records?: RecordCache;
  /** Where large records' RDF/XML is written (worker threads), so that no record holds up the event loop. */
  work?: BodyWork;
}

/** Records with more N-Triples than this have their RDF/XML written by the work pool. */
const LARGE_RECORD = 64 * 1024;

/**
 * The selection a catalogue request asks for; a cursor without a page size is refused, and so is a
 * modifiedSince that the schema's date-time format admits but Date cannot read (readTime).
 */
function selectionOf(query: CatalogQuery, format: Format): Selection {
  if (query.cursor !== undefined && query.pageSize === undefined) {
    throw new KatalogError('invalid-request', 'A cursor comes with the pageSize it was made for: follow the next link as given.');
  }
  const modifiedSince = query.modifiedSince === undefined ? undefined : readTime(query.modifiedSince, 'modifiedSince');
  return { pageSize: query.pageSize, after: query.cursor, modifiedSince, only: representationOf(format) };
}

/** Validators of a catalogue response: the store's change sequence, and the selection. */
const selectionTag = (seq: number, s: Selection) =>
  `s${seq}` + (s.modifiedSince ? `-m${Date.parse(s.modifiedSince)}` : '') + (s.pageSize ? `-p${s.pageSize}-c${s.after ?? 0}` : '');

/**
 * The read API harvesters use: the root catalogue and each record (a catalogue's record is served with its members: a harvest source per organisation).
 * Collection ETags follow the store's change sequence, record ETags the record's version.
 */
export async function harvestRoutes(app: FastifyInstance, { store, baseUrl, cache, records, work }: HarvestRouteOptions): Promise<void> {
  const rdfXml = (nt: string) => (work && nt.length > LARGE_RECORD ? (work.run({ task: 'rdfxml', nt }) as Promise<string>) : rdfXmlPart(nt));
  /** Whole documents (no page, no modifiedSince) are cached; selections are always assembled. */
  const cacheFor = (resource: string, selection: Selection) =>
    cache && selection.pageSize === undefined && selection.modifiedSince === undefined ? { cache, resource } : undefined;

  const storeValidators = async (selection: Selection = {}) => {
    const version = await store.version();
    return { tag: selectionTag(version.lastSeq, selection), lastModified: version.lastModified };
  };

  app.get<{ Querystring: CatalogQuery }>('/catalog', { schema: { querystring: catalogQuery } }, async (request, reply) => {
    const format = chooseFormat(request);
    const selection = selectionOf(request.query, format);
    return sendRdf(request, reply, format, await storeValidators(selection), rootCatalog(store, baseUrl, selection), cacheFor('catalog', selection), rdfXml);
  });

  for (const info of KINDS) {
    app.get<{ Params: RecordIdParams; Querystring: CatalogQuery }>(
      `/${info.segment}/:id`,
      { schema: { querystring: info.kind === 'catalog' ? catalogQuery : formatQuery, params: recordIdParams } },
      async (request, reply) => {
        const format = chooseFormat(request);
        const { id } = request.params;
        const notFound = () => new KatalogError('not-found', `No ${info.label} has the id ${id}.`);
        if (info.kind === 'catalog') {
          const selection = selectionOf(request.query, format);
          const record = await store.get(info.kind, id, selection.only);
          if (!record) throw notFound();
          return sendRdf(
            request,
            reply,
            format,
            await storeValidators(selection),
            catalogWithMembers(store, record, baseUrl, selection),
            cacheFor(`catalogs/${record.id}`, selection),
            rdfXml,
          );
        }
        // One record: kept in memory while nothing was written; else the head says which version
        // is current, and the kept bytes serve while they are of that version.
        const key = `${info.segment}/${id}.${formatKey(format)}`;
        const mark = store.changeMark();
        let kept = records?.unchanged(key, mark);
        if (!kept) {
          const head = await store.head(info.kind, id);
          if (!head) throw notFound();
          kept = records?.atVersion(key, head.version, mark);
        }
        if (!kept) {
          const record = await store.get(info.kind, id, representationOf(format));
          if (!record) throw notFound();
          kept = { version: record.version, modified: record.modified, body: Buffer.from(await renderDocument(format, [record], rdfXml)), mark };
          records?.set(key, kept);
        }
        return sendRdf(request, reply, format, { tag: kept.version, lastModified: kept.modified }, kept.body);
      },
    );
  }
}
