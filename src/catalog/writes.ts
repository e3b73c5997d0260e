import type { Quad } from '@rdfjs/types';
import { tooLarge } from '../core/budgets.js';
import { KatalogError } from '../core/errors.js';
import { type Kind, type KindInfo, kindInfo } from '../core/kinds.js';
import { CV, DCT } from '../core/namespaces.js';
import { findRoots, type SplitBounds } from '../core/records.js';
import { termKey, termToNt } from '../core/rdf-terms.js';
import type { SearchFields } from '../core/search-fields.js';
import type { RecordRepresentations } from '../core/serialize/node-parts.js';
import type { IriClaim, Store, StoredRecord, Tombstone, WriteDecision, WriteOptions } from '../store/store.js';
import { type Caller, callerOrganisations } from './api-keys.js';
import { authorise } from './authorisation.js';
import { isHashId } from './record-ids.js';
import { prepareRecord, recordsOf } from './record-pipeline.js';
import type { ValidationResources } from './resources.js';
import { type PlainValidation, toPlainValidation } from './transfer.js';
import { qualityIndex } from './quality.js';
import { type DocumentValidation, ResultBudget, validateRecord } from './validator.js';

/** What a write asks for, besides its body. */
export interface WriteTarget {
  kind: Kind;
  baseUrl: string;
  /** PUT: the id in the URL; the record's IRI must be the one served there. POST: undefined. */
  id?: string;
  /** The IRI a blank-node root gets: PUBLIC_BASE_URL/{segment}/{uuid} (POST) or the PUT's URL. */
  target: string;
  /** Prefix of the blank node labels of this write (unique among stored records). */
  labelPrefix: string;
  profileId?: string;
  bounds?: SplitBounds & { maxResults?: number; maxRecordTriples?: number };
}

/**
 * One record made ready for the store from a body, with everything the checks against the store
 * need (plain data: it is made in a worker thread, see body-work.ts).
 */
export interface PreparedWrite {
  iri: string;
  kind: Kind;
  id: string;
  /** Every value of dct:publisher, cv:hasCompetentAuthority and cv:ownedBy on the root (N-Triples for non-IRIs). */
  publishers: Array<{ property: string; value: string; iri: boolean }>;
  members: string[];
  /** IRIs other than the root that the body gives triples about. */
  described: string[];
  representations: RecordRepresentations;
  search: SearchFields;
  validation: PlainValidation;
  /** How long the SHACL validation took, in seconds (measured where it ran, in a worker thread or not). */
  validationSeconds: number;
  /** What a served syntax could not express, if anything (422 unrepresentable). */
  unrepresentable?: string;
}

const PUBLISHER_PROPERTIES = new Set([DCT('publisher'), CV('hasCompetentAuthority'), CV('ownedBy')]);

/**
 * The part of a write that needs no store (docs/design.md, URLs and Security): the body must describe exactly
 * one record of the segment's kind and nothing else (400 invalid-request saying what was found); a
 * blank-node root gets its IRI; the record is validated and rendered. Pure: runs in worker threads.
 */
export function prepareWrite(quads: Quad[], request: WriteTarget, resources: ValidationResources): PreparedWrite {
  const kind = kindInfo(request.kind);
  const { id, baseUrl } = request;
  // A blank root gets its IRI before the split (only when it is the one root), so the graph is split once.
  const roots = [...findRoots(quads).values()];
  const blankRoots = roots.filter((r) => r.term.termType === 'BlankNode').length;
  const found = recordsOf(quads, { labelPrefix: request.labelPrefix, mint: blankRoots === 1 ? () => request.target : undefined, bounds: request.bounds });
  if (found.records.length === 0) {
    throw new KatalogError('invalid-request', `The body describes no record: send one ${kind.label} typed ${kind.classes.join(' or ')}.`);
  }
  if (found.records.length > 1) {
    const list = roots
      .slice(0, 5)
      .map((r) => `${r.term.termType === 'BlankNode' ? 'a blank node' : `<${r.term.value}>`} (${r.kind.label})`)
      .join(', ');
    throw new KatalogError('invalid-request', `The body describes ${found.records.length} records: ${list}. Send one record per request.`);
  }
  const record = found.records[0]!;
  if (record.kind.kind !== kind.kind) {
    throw new KatalogError('invalid-request', `The body describes a ${record.kind.label}, not a ${kind.label}: send it to /${record.kind.segment}.`);
  }
  if (found.remainder.length > 0) {
    const subjects = [...new Set(found.remainder.map((q) => termToNt(q.subject)))].slice(0, 5).join(', ');
    throw new KatalogError(
      'invalid-request',
      `${found.remainder.length} triples in the body are not part of the ${kind.label} (subjects ${subjects}): a body holds one record and the nodes it points to.`,
    );
  }
  const maxRecordTriples = request.bounds?.maxRecordTriples ?? Infinity;
  if (record.quads.length > maxRecordTriples) {
    throw tooLarge(
      `The ${kind.label} holds ${record.quads.length} triples (its own and its nodes'); a stored record holds at most ${maxRecordTriples}.`,
      'maxRecordTriples',
      maxRecordTriples,
    );
  }
  const prepared = prepareRecord(record, baseUrl, found.sharedBlankNodes);
  const { iri, id: recordIdOfIri } = prepared;
  if (id !== undefined && recordIdOfIri !== id) {
    const why = isHashId(id) ? ' (ids of this form are kept for IRIs outside this server)' : '';
    throw new KatalogError(
      'invalid-request',
      `The body describes <${iri}>, which is served at /${kind.segment}/${recordIdOfIri}, not /${kind.segment}/${id}${why}.`,
    );
  }

  const profile = request.profileId === undefined ? resources.profiles.defaultFor(kind.kind) : resources.profiles.get(request.profileId);
  if (!profile) throw new KatalogError('not-found', `There is no profile ${request.profileId}.`);
  if (!profile.info.kinds.includes(kind.kind)) throw new KatalogError('invalid-request', `Profile ${profile.info.id} does not validate ${kind.label}s.`);
  const validationStart = performance.now();
  const verdict = validateRecord(record.quads, profile, resources);
  const validationSeconds = (performance.now() - validationStart) / 1000;
  const quality = qualityIndex(kind.kind, record.quads, record.root, resources, { profile: profile.info.id, results: verdict.results });
  if (quality) prepared.search.quality = quality;
  const budget = new ResultBudget(request.bounds?.maxResults);
  const results = budget.take(verdict.results);
  const validation: DocumentValidation = {
    conforms: verdict.conforms,
    records: [{ record: iri, kind: kind.kind, profile: profile.info.id, conforms: verdict.conforms, results }],
    unattached: [],
    skipped: [],
    counts: budget.counts,
    truncated: budget.truncated,
  };

  const rootKey = termKey(record.root);
  const publishers: PreparedWrite['publishers'] = [];
  const described = new Set<string>();
  for (const q of record.quads) {
    if (q.subject.termType === 'NamedNode' && q.subject.value !== iri) described.add(q.subject.value);
    if (termKey(q.subject) === rootKey && PUBLISHER_PROPERTIES.has(q.predicate.value)) {
      publishers.push({
        property: q.predicate.value,
        value: q.object.termType === 'NamedNode' ? q.object.value : termToNt(q.object),
        iri: q.object.termType === 'NamedNode',
      });
    }
  }
  return {
    iri,
    kind: kind.kind,
    id: recordIdOfIri,
    publishers,
    members: prepared.members,
    described: [...described],
    representations: prepared.representations,
    search: prepared.search,
    validation: toPlainValidation(validation),
    validationSeconds,
    ...(prepared.unrepresentable ? { unrepresentable: prepared.unrepresentable } : {}),
  };
}

/**
 * Checks a prepared write against the store and stores it. In order: authorisation (403, see
 * authorisation.ts); a record of another kind or a POST of a stored IRI (409); violations (422
 * shacl-violation); what a syntax cannot express (422 unrepresentable); then the store applies the
 * preconditions (412) and commits. The claims these checks read are read in the write's own
 * transaction (WriteOptions.decide), so a write committed meanwhile cannot slip past them. Nothing
 * is stored unless every step passes.
 */
export async function commitWrite(
  store: Store,
  prepared: PreparedWrite,
  { caller, validation, preconditions, post }: { caller: Caller; validation: DocumentValidation; preconditions: WriteOptions; post: boolean },
): Promise<{ record: StoredRecord; created: boolean }> {
  const kind = kindInfo(prepared.kind);
  const { iri } = prepared;
  let created = false;
  const verdict = (claims: Map<string, IriClaim>): WriteDecision => {
    const organisation = authorise(prepared, caller, claims);
    const own = claims.get(iri);
    const existing = own?.record && !own.record.deleted ? own.record : undefined;
    if (existing && existing.kind !== kind.kind) {
      throw new KatalogError(
        'conflict',
        `<${iri}> is stored as a ${existing.kind}; delete it there (/${kindInfo(existing.kind).segment}/${existing.id}) before storing it as a ${kind.label}.`,
      );
    }
    if (post && existing) {
      throw new KatalogError('conflict', `<${iri}> already exists: replace it with PUT /${kind.segment}/${existing.id}.`);
    }
    if (!validation.conforms) throw new KatalogError('shacl-violation', 'The description violates its profile.', { validation });
    if (prepared.unrepresentable) throw new KatalogError('unrepresentable', prepared.unrepresentable);
    created = !existing;
    return { organisation, ...(caller.admin ? {} : { ifOwner: organisation }) };
  };
  const record = await store.put(
    {
      iri,
      kind: kind.kind,
      id: prepared.id,
      // None: the verdict refuses it (authorise), before anything is stored.
      publisher: (prepared.publishers.find((p) => p.property === DCT('publisher')) ?? prepared.publishers[0])?.value,
      members: prepared.members,
      ...prepared.representations,
      search: prepared.search,
    },
    { ...preconditions, decide: { iris: [iri, ...prepared.described, ...prepared.members], verdict } },
  );
  return { record, created };
}

/** Deletes a record the caller may write, leaving a tombstone. 404 when absent, 403, 412. */
export async function deleteRecord(store: Store, kind: KindInfo, id: string, caller: Caller, preconditions: WriteOptions): Promise<Tombstone> {
  const existing = await store.get(kind.kind, id);
  if (!existing) throw new KatalogError('not-found', `No ${kind.label} has the id ${id}.`);
  if (!caller.admin && !(existing.organisation !== undefined && caller.organisations.includes(existing.organisation))) {
    throw new KatalogError(
      'forbidden',
      `<${existing.iri}> belongs to organisation ${existing.organisation ?? 'unknown'}; your credential writes for ${callerOrganisations(caller)}.`,
    );
  }
  const tombstone = await store.delete(existing.iri, preconditions);
  if (!tombstone) throw new KatalogError('not-found', `No ${kind.label} has the id ${id}.`);
  return tombstone;
}
