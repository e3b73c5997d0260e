import type { Quad } from '@rdfjs/types';
import { tooLarge } from '../core/budgets.js';
import { KatalogError } from '../core/errors.js';
import { type Kind, type KindInfo, kindInfo } from '../core/kinds.js';
import { CV, DCT } from '../core/namespaces.js';
import { organisationOf } from '../core/organisations.js';
import { describeRecord, findRoots, mintBlankRoots, relabelBlankNodes, type SplitBounds, splitIntoRecords } from '../core/records.js';
import { termKey, termToNt } from '../core/rdf-terms.js';
import { unrepresentable } from '../core/serialize/representable.js';
import { renderRepresentations, type Representations } from '../core/serialize/representations.js';
import type { Store, StoredRecord, Tombstone, WriteOptions } from '../store/store.js';
import type { Caller } from './api-keys.js';
import { isHashId, recordId } from './record-ids.js';
import type { ValidationResources } from './resources.js';
import { type PlainValidation, toPlainValidation } from './transfer.js';
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
  representations: Representations;
  validation: PlainValidation;
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
  // Blank nodes get labels of their own and a blank root gets its IRI before the split, so the
  // graph is split once.
  const labelled = relabelBlankNodes(quads, request.labelPrefix);
  const roots = [...findRoots(labelled).values()];
  const blankRoots = roots.filter((r) => r.term.termType === 'BlankNode').length;
  const found = splitIntoRecords(blankRoots === 1 ? mintBlankRoots(labelled, () => request.target) : labelled, request.bounds);
  if (found.records.length === 0) {
    throw new KatalogError('invalid-request', `The body describes no record: send one ${kind.label} typed ${kind.classes.join(' or ')}.`);
  }
  if (found.records.length > 1) {
    const list = roots.slice(0, 5).map((r) => `${r.term.termType === 'BlankNode' ? 'a blank node' : `<${r.term.value}>`} (${r.kind.label})`).join(', ');
    throw new KatalogError('invalid-request', `The body describes ${found.records.length} records: ${list}. Send one record per request.`);
  }
  const record = found.records[0]!;
  if (record.kind.kind !== kind.kind) {
    throw new KatalogError('invalid-request', `The body describes a ${record.kind.label}, not a ${kind.label}: send it to /${record.kind.segment}.`);
  }
  if (found.remainder.length > 0) {
    const subjects = [...new Set(found.remainder.map((q) => termToNt(q.subject)))].slice(0, 5).join(', ');
    throw new KatalogError('invalid-request', `${found.remainder.length} triples in the body are not part of the ${kind.label} (subjects ${subjects}): a body holds one record and the nodes it points to.`);
  }
  const maxRecordTriples = request.bounds?.maxRecordTriples ?? Infinity;
  if (record.quads.length > maxRecordTriples) {
    throw tooLarge(`The ${kind.label} holds ${record.quads.length} triples (its own and its nodes'); a stored record holds at most ${maxRecordTriples}.`, 'maxRecordTriples', maxRecordTriples);
  }
  const iri = record.root.value;
  const recordIdOfIri = recordId(iri, kind, baseUrl);
  if (id !== undefined && recordIdOfIri !== id) {
    const why = isHashId(id) ? ' (ids of this form are kept for IRIs outside this server)' : '';
    throw new KatalogError('invalid-request', `The body describes <${iri}>, which is served at /${kind.segment}/${recordIdOfIri}, not /${kind.segment}/${id}${why}.`);
  }

  const profile = request.profileId === undefined ? resources.profiles.defaultFor(kind.kind) : resources.profiles.get(request.profileId);
  if (!profile) throw new KatalogError('not-found', `There is no profile ${request.profileId}.`);
  if (!profile.info.kinds.includes(kind.kind)) throw new KatalogError('invalid-request', `Profile ${profile.info.id} does not validate ${kind.label}s.`);
  const verdict = validateRecord(record.quads, profile, resources);
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
      publishers.push({ property: q.predicate.value, value: q.object.termType === 'NamedNode' ? q.object.value : termToNt(q.object), iri: q.object.termType === 'NamedNode' });
    }
  }
  const problem = unrepresentable(record.quads);
  return {
    iri,
    kind: kind.kind,
    id: recordIdOfIri,
    publishers,
    members: describeRecord(record).members,
    described: [...described],
    representations: renderRepresentations(record.quads, record.root, found.sharedBlankNodes),
    validation: toPlainValidation(validation),
    ...(problem ? { unrepresentable: problem } : {}),
  };
}

/**
 * The organisation a record belongs to: the one every publisher-like value names, in the IRI
 * forms of src/core/organisations.ts. A caller that is not admin must be that organisation.
 * Throws forbidden (403) naming the value otherwise.
 */
function owningOrganisation(prepared: PreparedWrite, caller: Caller): string {
  const label = kindInfo(prepared.kind).label;
  if (prepared.publishers.length === 0) {
    throw new KatalogError('forbidden', `This ${label} names no publisher: name your organisation (${caller.organisation}) as its dct:publisher, as <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${caller.organisation}>.`);
  }
  let owner: string | undefined;
  for (const p of prepared.publishers) {
    const organisation = p.iri ? organisationOf(p.value) : undefined;
    const shown = p.iri ? `<${p.value}>` : p.value;
    if (!organisation) {
      throw new KatalogError('forbidden', `The value ${shown} of <${p.property}> is not an organisation IRI: use https://organization-catalog.fellesdatakatalog.digdir.no/organizations/{orgnr} or https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}.`);
    }
    if (!caller.admin && organisation !== caller.organisation) {
      throw new KatalogError('forbidden', `Your key writes for organisation ${caller.organisation}; <${p.property}> names organisation ${organisation} (${shown}).`);
    }
    if (owner !== undefined && organisation !== owner) {
      throw new KatalogError('forbidden', `This ${label} names two organisations (${owner} and ${organisation}): a record belongs to one.`);
    }
    owner = organisation;
  }
  return owner!;
}

/**
 * Checks a prepared write against the store and stores it. In order: the publisher-like values
 * (403); the IRIs the body touches (403): its own IRI must not be held by another organisation (a
 * record, live or deleted, or a catalogue of theirs listing it), no other IRI it describes may be a
 * record or another organisation's IRI, and a catalogue lists only records no other organisation
 * holds; a record of another kind or a POST of a stored IRI (409); violations (422
 * shacl-violation); what a syntax cannot express (422 unrepresentable); then the store applies the
 * preconditions (412) and commits. Nothing is stored unless every step passes.
 */
export async function commitWrite(
  store: Store,
  prepared: PreparedWrite,
  { caller, validation, preconditions, post }: { caller: Caller; validation: DocumentValidation; preconditions: WriteOptions; post: boolean },
): Promise<{ record: StoredRecord; created: boolean }> {
  const kind = kindInfo(prepared.kind);
  const organisation = owningOrganisation(prepared, caller);
  const { iri } = prepared;
  const claims = await store.claims([iri, ...prepared.described, ...prepared.members]);
  const own = claims.get(iri);
  if (own?.record && own.record.organisation !== organisation && !caller.admin) {
    const deleted = own.record.deleted ? ' It was deleted, and its IRI stays theirs.' : '';
    throw new KatalogError('forbidden', `<${iri}> belongs to organisation ${own.record.organisation ?? 'unknown'}; this ${kind.label} is organisation ${organisation}'s.${deleted}`);
  }
  const foreignListing = own?.listedBy.find((l) => l.organisation !== organisation);
  if (foreignListing && !caller.admin) {
    throw new KatalogError('forbidden', `<${iri}> is listed by <${foreignListing.catalog}>, a catalogue of organisation ${foreignListing.organisation ?? 'unknown'}: the IRI is theirs.`);
  }
  for (const other of prepared.described) {
    const held = claims.get(other)?.record;
    if (held) {
      throw new KatalogError('forbidden', `The body gives triples about <${other}>, which is a record of its own (organisation ${held.organisation ?? 'unknown'}): describe it in its own record.`);
    }
    const named = organisationOf(other);
    if (named !== undefined && named !== organisation) {
      throw new KatalogError('forbidden', `The body gives triples about <${other}>, the IRI of organisation ${named}: describe only your own organisation (${organisation}).`);
    }
  }
  for (const member of prepared.members) {
    const held = claims.get(member)?.record;
    if (held && held.organisation !== organisation) {
      throw new KatalogError('forbidden', `This catalogue lists <${member}>, a record of organisation ${held.organisation ?? 'unknown'}: a catalogue lists its own organisation's records.`);
    }
  }
  const existing = own?.record && !own.record.deleted ? own.record : undefined;
  if (existing && existing.kind !== kind.kind) {
    throw new KatalogError('conflict', `<${iri}> is stored as a ${existing.kind}; delete it there (/${kindInfo(existing.kind).segment}/${existing.id}) before storing it as a ${kind.label}.`);
  }
  if (post && existing) {
    throw new KatalogError('conflict', `<${iri}> already exists: replace it with PUT /${kind.segment}/${existing.id}.`);
  }
  if (!validation.conforms) throw new KatalogError('shacl-violation', 'The description violates its profile.', { validation });
  if (prepared.unrepresentable) throw new KatalogError('unrepresentable', prepared.unrepresentable);

  const record = await store.put(
    { iri, kind: kind.kind, id: prepared.id, publisher: (prepared.publishers.find((p) => p.property === DCT('publisher')) ?? prepared.publishers[0]!).value, organisation, members: prepared.members, ...prepared.representations },
    caller.admin ? preconditions : { ...preconditions, ifOwner: organisation },
  );
  return { record, created: !existing };
}

/** Deletes a record the caller may write, leaving a tombstone. 404 when absent, 403, 412. */
export async function deleteRecord(store: Store, kind: KindInfo, id: string, caller: Caller, preconditions: WriteOptions): Promise<Tombstone> {
  const existing = await store.get(kind.kind, id);
  if (!existing) throw new KatalogError('not-found', `No ${kind.label} has the id ${id}.`);
  if (!caller.admin && existing.organisation !== caller.organisation) {
    throw new KatalogError('forbidden', `<${existing.iri}> belongs to organisation ${existing.organisation ?? 'unknown'}; your key writes for ${caller.organisation}.`);
  }
  const tombstone = await store.delete(existing.iri, preconditions);
  if (!tombstone) throw new KatalogError('not-found', `No ${kind.label} has the id ${id}.`);
  return tombstone;
}
