import type { Kind } from '../core/kinds.js';
import type { SearchFields, SearchLanguage, ValueField } from '../core/search-fields.js';
import type { NodePart } from '../core/serialize/node-parts.js';
import type { RepresentationName, Representations } from '../core/serialize/representations.js';

/** A stored record's search fields, read again from its N-Triples (Store.reindex); undefined: only its kind and publisher. */
export type FieldsOf = (record: { iri: string; kind: Kind; nt: string }) => SearchFields | undefined;

/** What a writer hands the store: the record's identity, bookkeeping and representations. */
export interface RecordInput extends Representations {
  /** The record's IRI (its identity: one IRI is one record, whatever its kind). */
  iri: string;
  kind: Kind;
  /** The id in the record's URL, /{segment}/{id}; unique per kind. */
  id: string;
  publisher?: string;
  /** Nine-digit organisation number taken from the publisher IRI. */
  organisation?: string;
  /** For catalogues: the IRIs of the records they list (dcat:dataset, dcat:service, ...). */
  members?: string[];
  /** The runs of the nodes other than the root in the representations (serialize/node-parts.ts); none: the record is one run. */
  parts?: NodePart[];
  /** What a search finds it by (core/search-fields.ts); none: only its kind, publisher and catalogues. */
  search?: SearchFields;
}

export interface StoredRecord extends RecordInput {
  /** The catalogue that lists this record, if any (the first by IRI, when several do). */
  catalog?: string;
  /** ISO 8601 times of the first and of the latest write. */
  created: string;
  modified: string;
  /** Opaque; different after every write of this record. Used in ETags. */
  version: string;
  /** The change sequence number of the latest write; strictly increasing across the store. */
  seq: number;
  /**
   * The record's place in scan order: set at its first write, never changed by a replace, so a
   * cursor over positions visits every record once even while records are written.
   */
  position: number;
  /**
   * Read with `sharedParts`: the record's node parts that another live record also describes, so
   * that a document holding both may write them once.
   */
  shared?: NodePart[];
}

/** What validates a stored record's representations: its IRI, version and time of the latest write. */
export type RecordHead = Pick<StoredRecord, 'iri' | 'version' | 'modified'>;

/** An API key as stored: the SHA-256 of the key, never the key. */
export interface ApiKeyRecord {
  /** Short public handle (the first 12 hex digits of the hash), for listing and revoking. */
  id: string;
  hash: string;
  /** The nine-digit organisation number the key writes for. */
  organisation: string;
  /** Admin keys may write any organisation's records. */
  admin: boolean;
  label?: string;
  created: string;
  revoked?: string;
}

export interface Tombstone {
  iri: string;
  kind: Kind;
  id: string;
  seq: number;
  deleted: string;
}

/**
 * One write as the history keeps it: a create, an update or a delete, with the version it made.
 * Its representations are the version's; '' for a delete, and for versions written before the store
 * kept history (schema 2: each record's latest version was kept then, earlier ones were not).
 */
export interface Change extends Representations {
  seq: number;
  op: 'create' | 'update' | 'delete';
  iri: string;
  kind: Kind;
  id: string;
  /** ISO 8601 time of the write (the record's `modified`; a delete's `deleted`). */
  at: string;
  /** The version the write made (a delete's is the tombstone's). */
  version: string;
  publisher?: string;
  organisation?: string;
}

/**
 * Which changes a feed follows (docs/feed.md): every one, or one kind's, or one organisation's (as
 * recorded with each change); with `only`, the other representations are '' (with 'none', all three).
 */
export interface ChangeQuery {
  kind?: Kind;
  organisation?: string;
  only?: RepresentationName | 'none';
}

export interface RecordQuery {
  /** Only the record with this IRI. */
  iri?: string;
  kind?: Kind;
  /** Only the records listed by this catalogue IRI. */
  catalog?: string;
  /** Only records that no catalogue lists. */
  uncatalogued?: boolean;
  /** Only records written at or after this time (ISO 8601). */
  modifiedSince?: string;
  /** Only records after this position (a page cursor): see StoredRecord.position. */
  afterPosition?: number;
  /** At most this many records. */
  limit?: number;
  /** Read only this representation; the others come back as '' (see Store). */
  only?: RepresentationName;
  /** Say of each record which node parts another live record describes (StoredRecord.shared). */
  sharedParts?: boolean;
}

/** What a search filters and counts by: the record's own values, its kind, publisher and catalogue. */
export type SearchFilter = ValueField | 'kind' | 'publisher' | 'catalog' | 'quality';

/**
 * The index field of a dataset's quality score (its points as a decimal number), beside its rating
 * in `quality`: not a filter, the key of `sort=quality`.
 */
export const QUALITY_SCORE = 'qualityScore';

/** A field of the search index's value rows. */
export type IndexField = SearchFilter | typeof QUALITY_SCORE;

/**
 * The orders of a search's hits (docs/search.md, Sorting), each ending on the record's position so
 * that no two hits tie:
 * - `position`: oldest first write first;
 * - `modified`: latest write newest first. Paged as of the first page: its cursor carries `asOf`
 *   (the latest change then), and later pages place every hit by its latest write up to `asOf` and
 *   leave out records created after it, so a record written while a client pages is neither
 *   repeated nor skipped;
 * - `title`: by the title in `lang` (`titleKeys`: the language, its neighbours, then any), records
 *   without a title last;
 * - `relevance`: by a score of the record's own texts against `q`: per word (the first
 *   RANKED_WORDS), 15 when a title has it, 5 a keyword, 1 a description, and 30 more when a title
 *   has all the words as a phrase; highest first, then newest position first. The score depends on
 *   the record alone, never on the rest of the catalogue, so it does not move while others are written;
 * - `quality`: by a dataset's quality score (docs/quality.md), highest first, then newest position
 *   first; records without a score (every kind but datasets) last.
 */
export type SearchSort = 'position' | 'modified' | 'title' | 'relevance' | 'quality';

/** Where the next page of a search starts: the last hit's sort key and position (see SearchSort). */
export interface SearchCursor {
  sort: SearchSort;
  /** The last hit's sort key: a time (`modified`), a title key (`title`), a score (`relevance`, `quality`). */
  key?: string | number;
  position: number;
  /** The latest change sequence number when the first page was made (`modified`). */
  asOf?: number;
}

/** A search (docs/search.md). */
export interface SearchQuery {
  /** Plain words, each found as the beginning of a word of a title, keyword or description; no operators. */
  q?: string;
  /**
   * Filters: a record must have one of the values of every field given (AND across fields, OR within
   * one). `publisher` takes an organisation number or a publisher IRI, `catalog` a catalogue IRI.
   * At most 100 values per field: more is an `invalid-request` KatalogError.
   */
  filters?: Partial<Record<SearchFilter, string[]>>;
  /** Only records written at or after, or before, this time (ISO 8601). */
  modifiedSince?: string;
  modifiedBefore?: string;
  /** The order of the hits; `position` when not given. */
  sort?: SearchSort;
  /** The language of the `title` order; nb when not given. */
  lang?: SearchLanguage;
  /** Only hits after this one (the `next` of the previous page); its sort must be this query's, else an `invalid-request` KatalogError. */
  after?: SearchCursor;
  limit: number;
  /** The fields to count values of, each over the other filters (a facet does not filter itself). */
  facets?: readonly Exclude<SearchFilter, 'catalog'>[];
  only?: RepresentationName;
}

export interface SearchResult {
  /** Every hit, on any page (of a `modified` paging: as of its first page). */
  total: number;
  /** At most `limit` hits after `after`, in the query's order. */
  hits: StoredRecord[];
  /** Where the next page starts; absent on the last page. */
  next?: SearchCursor;
  /** Per facet asked for, its values with their counts, most first (at most 100). */
  facets: Partial<Record<SearchFilter, Array<{ value: string; count: number }>>>;
}

export interface StoreState {
  /** Highest change sequence number so far (0 for an empty store). */
  lastSeq: number;
  /** Time of the latest change, or undefined for an empty store. */
  lastModified?: string;
  /** Live (not deleted) records. */
  count: number;
}

/** The cheap part of StoreState, for validators (ETag, Last-Modified). */
export type StoreVersion = Omit<StoreState, 'count'>;

/**
 * Who has used an IRI (README "Ownership"): the record stored under it, live or deleted (a
 * tombstone keeps its organisation), and the live catalogues that list it with their organisation.
 */
export interface IriClaim {
  record?: { kind: Kind; id: string; organisation?: string; deleted: boolean };
  listedBy: Array<{ catalog: string; organisation?: string }>;
}

export interface WriteOptions {
  /**
   * Refuse the write with a `forbidden` KatalogError if a record (live or deleted) holds the IRI
   * for another organisation than this one: checked in the write's own transaction, so two
   * organisations racing for a new IRI cannot both have it.
   */
  ifOwner?: string;
  /** Refuse the write with a `precondition-failed` KatalogError unless the stored version is one of these. */
  ifVersion?: string | string[];
  /** Refuse the write with a `precondition-failed` KatalogError if the record exists. */
  ifAbsent?: boolean;
  /** Refuse the write with a `precondition-failed` KatalogError unless the record exists. */
  ifExists?: boolean;
  /**
   * The IRIs the write touches and its verdict on their claims (by IRI; an IRI nobody has used is
   * absent from the map), read in
   * the write's own transaction before every other check, so that no write committed in between
   * can change what they say. `verdict` refuses the write alone by throwing a KatalogError, or
   * names the organisation the record is stored for and the owner `ifOwner` then requires. A store
   * may call it more than once (a write retried alone); the last call's verdict is the one stored.
   */
  decide?: { iris: string[]; verdict: (claims: Map<string, IriClaim>) => WriteDecision };
}

/** What a write's verdict on its claims decides (WriteOptions.decide). */
export interface WriteDecision {
  organisation: string;
  ifOwner?: string;
}

/**
 * The one storage contract everything above it uses (docs/storage.md). Every backend passes
 * test/store/store-contract.ts unchanged.
 *
 * - Absent records: `get`/`getByIri` resolve to undefined, never throw.
 * - Writes are atomic and durable: when `put`, `putMany` or `delete` resolves, the change is
 *   committed and survives a crash; when it rejects, nothing of it is stored. `putMany` is one
 *   transaction.
 * - Every write (create, replace or delete) takes the next change sequence number; numbers are
 *   strictly increasing and never reused, also across reopening. A replace keeps `created` and
 *   changes `version`, `modified` and `seq`.
 * - Sequence numbers become visible in commit order: a reader that has seen seq N (in `changes`,
 *   `state`, a record) never later sees a new change with a number below N, whichever process
 *   wrote it. So a feed reader that remembers the last number it saw misses nothing.
 * - One clock: a write's time is its process's clock, or the time of the latest committed write
 *   when that is later (clocks of several processes differ). Times therefore never decrease in
 *   sequence order, and `modifiedSince` = a time already seen cannot skip a later write.
 * - Every version is kept: `changes(afterSeq, limit)` gives each create, update and delete in
 *   sequence order with the version's representations; a delete followed by a create of the same
 *   IRI keeps both in the history.
 * - A write with `ifVersion` is compare-and-set: of two writers holding the same version, one wins
 *   and the other rejects with `precondition-failed`.
 * - The backend's own failures (busy, I/O, full disk, closed) reject with a `store-unavailable`
 *   KatalogError (503 with Retry-After at the edge), never with the driver's error.
 * - Identity is the IRI: putting a record whose IRI exists replaces it. Two records of the same kind
 *   may not share an id: that write rejects with a `conflict` KatalogError.
 * - Deleting leaves a tombstone with its sequence number (for the change feed); putting the IRI
 *   again revives it as a new record.
 * - `scan` yields records in a stable order (oldest first by first write) and reads in batches, so a
 *   slow consumer holds no transaction or cursor open between batches; writes made during a scan
 *   may or may not be seen, but no record is yielded twice.
 * - Reads (`get`, `getByIri`, `scan`) given `only` return that one representation and '' for the
 *   others: serving reads one text column per record instead of three. Such a record is for
 *   serving, never for writing back.
 * - A record's node parts (`parts`: the runs describing nodes other than its root) are kept with
 *   it; `scan` with `sharedParts` names, for each record, those of its parts whose node another
 *   live record also has a part for, by the spans written; `nodeTriples(node, hash)` gives the
 *   N-Triples of a live record's part with that node and hash (equal hashes are equal parts), for a
 *   document that writes the union of differing parts. A record written without parts has none,
 *   and is never named as another's sharer.
 * - Search: a record's search fields (`search`) are indexed in its write's transaction, so the next
 *   `search` finds a record just written and no longer finds one just deleted or changed; hits come
 *   in the order asked for (SearchSort), and a cursor is stable while records are written.
 */
export interface Store {
  get(kind: Kind, id: string, only?: RepresentationName): Promise<StoredRecord | undefined>;
  getByIri(iri: string, only?: RepresentationName): Promise<StoredRecord | undefined>;
  /** A live record's head without its representations (cheap: for validators and caches). */
  head(kind: Kind, id: string): Promise<RecordHead | undefined>;
  /**
   * A mark that changes whenever anything in the store may have changed: at once after a write
   * through this store, and within a few tens of milliseconds (backend-specific, documented there)
   * after a write by another process. While it is the same, caches may answer without asking the
   * store again. Synchronous and cheap.
   */
  changeMark(): string;
  put(record: RecordInput, options?: WriteOptions): Promise<StoredRecord>;
  putMany(records: RecordInput[]): Promise<StoredRecord[]>;
  delete(iri: string, options?: WriteOptions): Promise<Tombstone | undefined>;
  scan(query?: RecordQuery, batchSize?: number): AsyncIterable<StoredRecord>;
  count(query?: RecordQuery): Promise<number>;
  tombstones(afterSeq?: number): Promise<Tombstone[]>;
  /** The history after `afterSeq`, oldest first, at most `limit` changes (see the contract above). */
  changes(afterSeq: number, limit: number, query?: ChangeQuery): Promise<Change[]>;
  /**
   * Removes the changes the feed's retention no longer keeps (docs/feed.md, "What is kept"): with
   * `superseded`, each create or update a later change of the same IRI replaced; with `before`,
   * each change made before that time (ISO 8601). The latest change is always kept, and numbers are
   * never given again. Resolves with how many were removed.
   */
  compactChanges(options: { superseded?: boolean; before?: string }): Promise<number>;
  state(): Promise<StoreState>;
  /** lastSeq and lastModified without counting records. */
  version(): Promise<StoreVersion>;
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Builds every live record's search index again from its N-Triples (`katalog reindex`, after the
   * search fields change), with `fieldsOf` (default: `fieldsFromTriples` in search-plan.ts, which
   * has no quality score); resolves with the number of records. Searches meanwhile may miss records
   * not yet indexed again; records are never changed.
   */
  reindex(fieldsOf?: FieldsOf): Promise<number>;
  /** The N-Triples of a live record's node part with this node and hash, if any (see the contract above). */
  nodeTriples(node: string, hash: string): Promise<string | undefined>;
  /** The position of the `index`-th record (0-based) a query yields, for page links; undefined past the end. */
  positionAt(query: RecordQuery, index: number): Promise<number | undefined>;
  /** Stores a new API key (its hash). */
  addApiKey(key: ApiKeyRecord): Promise<void>;
  /** The live (not revoked) key with this hash, or undefined. */
  findApiKey(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key by id; false when no live key has that id. */
  revokeApiKey(id: string): Promise<boolean>;
  /**
   * Runs `work` while no other store on the same database runs work under the same `name` (another
   * process's, for a backend several processes share: PostgreSQL's advisory lock), for what must
   * happen once however many processes start at once, such as loading DATA_DIR into an empty store.
   * SQLite's lock holds within one process (`serve --workers` loads before starting its processes).
   */
  whileLocked<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
