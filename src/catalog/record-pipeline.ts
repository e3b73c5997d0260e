import type { Quad } from '@rdfjs/types';
import type { Kind, KindInfo } from '../core/kinds.js';
import { describeRecord, mintBlankRoots, type RecordGraph, relabelBlankNodes, type SplitBounds, type SplitResult, splitIntoRecords } from '../core/records.js';
import { unrepresentable } from '../core/serialize/representable.js';
import { searchFieldsOf, type SearchFields } from '../core/search-fields.js';
import { type RecordRepresentations, renderRecord } from '../core/serialize/node-parts.js';
import { recordId } from './record-ids.js';

/**
 * The steps every record goes through, whether a file of data/ is loaded (ingest.ts) or an agency
 * writes it (writes.ts): blank nodes labelled uniquely, blank record roots given IRIs, the graph
 * split into records, and each record's bookkeeping and representations computed. What differs —
 * how IRIs are minted, how many records a body may hold, validation and authorisation — is the
 * callers'.
 */
export interface SplitOptions {
  /** Prefix of this document's blank node labels (unique among stored records). */
  labelPrefix: string;
  /** The IRI of a blank-node record root; none: blank roots stay blank (the split then finds them). */
  mint?: (kind: KindInfo, label: string) => string;
  bounds?: SplitBounds;
}

/** Labels, mints and splits a document into records (each a closed graph: docs/design.md, Records). */
export function recordsOf(quads: Quad[], { labelPrefix, mint, bounds }: SplitOptions): SplitResult {
  const labelled = relabelBlankNodes(quads, labelPrefix);
  return splitIntoRecords(mint ? mintBlankRoots(labelled, mint) : labelled, bounds);
}

/** One record ready for the store, apart from what the caller decides (validation, ownership). */
export interface PreparedRecord {
  iri: string;
  kind: Kind;
  /** The id in its URL, /{segment}/{id}. */
  id: string;
  publisher?: string;
  organisation?: string;
  members: string[];
  representations: RecordRepresentations;
  /** What a search reads from it (docs/search.md). */
  search: SearchFields;
  /** What a served syntax cannot carry, if anything: such a record is never stored. */
  unrepresentable?: string;
}

/** A record's bookkeeping and representations; `shared` are the blank nodes several records hold. */
export function prepareRecord(record: RecordGraph, baseUrl: string, shared: ReadonlySet<string>): PreparedRecord {
  const iri = record.root.value;
  const { publisher, organisation, members } = describeRecord(record);
  const problem = unrepresentable(record.quads);
  return {
    iri,
    kind: record.kind.kind,
    id: recordId(iri, record.kind, baseUrl),
    ...(publisher !== undefined ? { publisher } : {}),
    ...(organisation !== undefined ? { organisation } : {}),
    members,
    representations: renderRecord(record.quads, record.root, shared),
    search: searchFieldsOf(record.quads, record.root),
    ...(problem ? { unrepresentable: problem } : {}),
  };
}
