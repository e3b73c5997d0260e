import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { KINDS, type Kind, kindInfo, MEMBER_LINK } from '../core/kinds.js';
import { DCAT, DCT, HYDRA, RDF_TYPE, XSD } from '../core/namespaces.js';
import { renderRepresentations, type Representations } from '../core/serialize/representations.js';
import type { RecordQuery, Store, StoredRecord } from '../store/store.js';

const { quad, namedNode, literal } = DataFactory;

/**
 * The documents Katalog serves, as sequences of representations: stored records streamed from
 * the store, plus the small nodes we write around them (the root catalogue, collections). The
 * nodes that list records come last, so that one pass over the store is enough.
 */

function triple(s: string, p: string, o: ReturnType<typeof namedNode> | ReturnType<typeof literal>): Quad {
  return quad(namedNode(s), namedNode(p), o);
}

function linkOf(kind: Kind): string {
  return kind === 'catalog' ? DCAT('catalog') : MEMBER_LINK[kind];
}

/**
 * GET /catalog: every live record, then the root catalogue <base/catalog>, which links every
 * catalogue (dcat:catalog) and every record that no catalogue lists, so that a harvester finds
 * every member from a dcat:Catalog.
 */
export async function* rootCatalog(store: Store, baseUrl: string): AsyncGenerator<Representations> {
  const iri = `${baseUrl}/catalog`;
  const links: Quad[] = [];
  for await (const record of store.scan()) {
    yield record;
    if (record.kind === 'catalog' || !record.catalog) links.push(triple(iri, linkOf(record.kind), namedNode(record.iri)));
  }
  const head = [
    triple(iri, RDF_TYPE, namedNode(DCAT('Catalog'))),
    triple(iri, DCT('title'), literal('Katalog', 'nb')),
    triple(iri, DCT('title'), literal('Katalog', 'en')),
    triple(iri, DCT('description'), literal('Alle kataloger, datasett, datatjenester, offentlige tjenester og hendelser i denne katalogen.', 'nb')),
    triple(iri, DCT('description'), literal('Every catalogue, dataset, data service, public service and event held by this catalogue.', 'en')),
  ];
  yield renderRepresentations([...head, ...links], namedNode(iri));
}

/** GET /catalogs/{id}: the catalogue record, then every record it lists. */
export async function* catalogWithMembers(store: Store, catalog: StoredRecord): AsyncGenerator<Representations> {
  yield catalog;
  for await (const record of store.scan({ catalog: catalog.iri })) yield record;
}

/** GET /{segment}: the records of one kind, then a hydra:Collection <base/{segment}> of them. */
export async function* collection(store: Store, kind: Kind, baseUrl: string): AsyncGenerator<Representations> {
  const iri = `${baseUrl}/${kindInfo(kind).segment}`;
  const query: RecordQuery = { kind };
  const members: Quad[] = [];
  for await (const record of store.scan(query)) {
    yield record;
    members.push(triple(iri, HYDRA('member'), namedNode(record.iri)));
  }
  const label = KINDS.find((k) => k.kind === kind)!.label;
  yield renderRepresentations(
    [
      triple(iri, RDF_TYPE, namedNode(HYDRA('Collection'))),
      triple(iri, DCT('title'), literal(`Every ${label} in this catalogue`, 'en')),
      triple(iri, HYDRA('totalItems'), literal(String(members.length), namedNode(XSD('integer')))),
      ...members,
    ],
    namedNode(iri),
  );
}
