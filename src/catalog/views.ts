import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { type Kind, MEMBER_LINK } from '../core/kinds.js';
import { DCAT, DCT, HYDRA, RDF_TYPE, XSD } from '../core/namespaces.js';
import { SharedOnce } from '../core/serialize/node-parts.js';
import { renderRepresentations, type RepresentationName, type Representations } from '../core/serialize/representations.js';
import type { RecordQuery, Store, StoredRecord } from '../store/store.js';

const { quad, namedNode, literal } = DataFactory;

/**
 * The documents Katalog serves, as sequences of representations: stored records streamed from
 * the store, plus the small nodes we write around them (the root catalogue, collections). The
 * nodes that list records come last, so that one pass over the store is enough. A node several
 * records describe (a publisher) is written once per document, after the records (SharedOnce).
 */

function triple(s: string, p: string, o: ReturnType<typeof namedNode> | ReturnType<typeof literal>): Quad {
  return quad(namedNode(s), namedNode(p), o);
}

function linkOf(kind: Kind): string {
  return kind === 'catalog' ? DCAT('catalog') : MEMBER_LINK[kind];
}

/** Which part of a catalogue to serve: records changed since a time, one page of them. */
export interface Selection {
  modifiedSince?: string;
  /** Page size; undefined serves the whole document. */
  pageSize?: number;
  /** The position after which the page starts (the cursor of a next link). */
  after?: number;
  /** The one representation the response is assembled from (all three when undefined). */
  only?: RepresentationName;
}

const INTEGER = namedNode(XSD('integer'));

/** Where a document finds the triples of a shared node's differing descriptions. */
const partTriples = (store: Store) => (node: string, hash: string) => store.nodeTriples(node, hash);

/**
 * The paging nodes of one page (DCAT-AP harvesting guidance): the page URL as a
 * hydra:PartialCollectionView with first, next and last, and the older hydra:PagedCollection terms
 * (firstPage, nextPage, lastPage, itemsPerPage, totalItems) that CKAN's harvester still reads.
 * Links are cursors over stable record positions, so records written between pages are neither
 * skipped nor repeated.
 */
async function pagingQuads(store: Store, collection: string, path: string, query: RecordQuery, selection: Selection, lastPosition?: number): Promise<Quad[]> {
  const pageSize = selection.pageSize!;
  const link = (after?: number) => {
    const params = new URLSearchParams();
    if (selection.modifiedSince) params.set('modifiedSince', selection.modifiedSince);
    params.set('pageSize', String(pageSize));
    if (after !== undefined) params.set('cursor', String(after));
    return `${path}?${params.toString()}`;
  };
  const total = await store.count(query);
  const lastStart = Math.max(0, Math.floor((total - 1) / pageSize) * pageSize);
  const lastAfter = lastStart === 0 ? undefined : await store.positionAt(query, lastStart - 1);
  const hasNext = lastPosition !== undefined && (await store.positionAt({ ...query, afterPosition: lastPosition }, 0)) !== undefined;
  const page = link(selection.after);
  const quads = [
    triple(collection, HYDRA('view'), namedNode(page)),
    triple(collection, HYDRA('totalItems'), literal(String(total), INTEGER)),
    triple(page, RDF_TYPE, namedNode(HYDRA('PartialCollectionView'))),
    triple(page, RDF_TYPE, namedNode(HYDRA('PagedCollection'))),
    triple(page, HYDRA('first'), namedNode(link())),
    triple(page, HYDRA('firstPage'), namedNode(link())),
    triple(page, HYDRA('last'), namedNode(link(lastAfter))),
    triple(page, HYDRA('lastPage'), namedNode(link(lastAfter))),
    triple(page, HYDRA('itemsPerPage'), literal(String(pageSize), INTEGER)),
    triple(page, HYDRA('totalItems'), literal(String(total), INTEGER)),
  ];
  if (hasNext) quads.push(triple(page, HYDRA('next'), namedNode(link(lastPosition))), triple(page, HYDRA('nextPage'), namedNode(link(lastPosition))));
  return quads;
}

/**
 * GET /catalog: every live record (or one page of them, or those changed since a time), then the
 * root catalogue <base/catalog>, which links every catalogue (dcat:catalog) and every record that no
 * catalogue lists among the records served, so that a harvester finds every member from a
 * dcat:Catalog.
 */
export async function* rootCatalog(store: Store, baseUrl: string, selection: Selection = {}): AsyncGenerator<Representations> {
  const iri = `${baseUrl}/catalog`;
  const links: Quad[] = [];
  const query: RecordQuery = { modifiedSince: selection.modifiedSince };
  let last: number | undefined;
  const once = new SharedOnce(selection.only, partTriples(store));
  for await (const record of store.scan({ ...query, afterPosition: selection.after, limit: selection.pageSize, only: selection.only, sharedParts: true })) {
    yield once.cut(record);
    last = record.position;
    if (record.kind === 'catalog' || !record.catalog) links.push(triple(iri, linkOf(record.kind), namedNode(record.iri)));
  }
  yield* once.rest();
  if (selection.pageSize !== undefined) links.push(...(await pagingQuads(store, iri, iri, query, selection, last)));
  const head = [
    triple(iri, RDF_TYPE, namedNode(DCAT('Catalog'))),
    triple(iri, DCT('title'), literal('Katalog', 'nb')),
    triple(iri, DCT('title'), literal('Katalog', 'en')),
    triple(iri, DCT('description'), literal('Alle kataloger, datasett, datatjenester, offentlige tjenester og hendelser i denne katalogen.', 'nb')),
    triple(iri, DCT('description'), literal('Every catalogue, dataset, data service, public service and event held by this catalogue.', 'en')),
  ];
  yield renderRepresentations([...head, ...links], namedNode(iri));
}

/**
 * GET /catalogs/{id}: the catalogue record, then every record it lists (or one page of them, or
 * those changed since a time; the catalogue's own description comes with every page).
 */
export async function* catalogWithMembers(store: Store, catalog: StoredRecord, baseUrl: string, selection: Selection = {}): AsyncGenerator<Representations> {
  const once = new SharedOnce(selection.only, partTriples(store));
  let head: StoredRecord = catalog;
  for await (const current of store.scan({ iri: catalog.iri, only: selection.only, sharedParts: true })) head = current;
  yield once.cut(head);
  const query: RecordQuery = { catalog: catalog.iri, modifiedSince: selection.modifiedSince };
  let last: number | undefined;
  for await (const record of store.scan({ ...query, afterPosition: selection.after, limit: selection.pageSize, only: selection.only, sharedParts: true })) {
    yield once.cut(record);
    last = record.position;
  }
  yield* once.rest();
  if (selection.pageSize !== undefined) {
    const path = `${baseUrl}/catalogs/${catalog.id}`;
    yield renderRepresentations(await pagingQuads(store, catalog.iri, path, query, selection, last));
  }
}
