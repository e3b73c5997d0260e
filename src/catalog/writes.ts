import { randomUUID } from 'node:crypto';
import type { Quad } from '@rdfjs/types';
import { KatalogError } from '../core/errors.js';
import { type KindInfo, kindInfo } from '../core/kinds.js';
import { describeRecord, findRoots, mintBlankRoots, relabelBlankNodes, splitIntoRecords } from '../core/records.js';
import { termToNt } from '../core/rdf-terms.js';
import { renderRepresentations } from '../core/serialize/representations.js';
import type { Store, StoredRecord, Tombstone, WriteOptions } from '../store/store.js';
import type { Caller } from './api-keys.js';
import { recordId, recordUrl } from './record-ids.js';
import type { ValidationResources } from './resources.js';
import { type DocumentValidation, validateRecord } from './validator.js';

export interface WriteRequest {
  kind: KindInfo;
  quads: Quad[];
  caller: Caller;
  baseUrl: string;
  /** PUT: the id in the URL; the record's IRI must be the one served there. POST: undefined. */
  id?: string;
  profileId?: string;
  preconditions: WriteOptions;
}

export interface WriteOutcome {
  record: StoredRecord;
  created: boolean;
  validation: DocumentValidation;
}

function mayWrite(caller: Caller, organisation: string | undefined): boolean {
  return caller.admin || (organisation !== undefined && organisation === caller.organisation);
}

/**
 * Creates or replaces one record (DESIGN sections 3 and 10). In order: the body must describe
 * exactly one record of the segment's kind and nothing else (400 invalid-request saying what was
 * found); a blank-node root gets PUBLIC_BASE_URL/{segment}/{uuid} (POST) or the URL's id (PUT); the
 * caller must speak for the record's publisher, and for the stored record's (403 forbidden); the
 * record must have no violations under its profile (422 shacl-violation); then the store applies
 * the preconditions (412) and commits. Nothing is stored unless every step passes.
 */
export async function writeRecord(store: Store, resources: ValidationResources, request: WriteRequest): Promise<WriteOutcome> {
  const { kind, caller, baseUrl, id } = request;
  // Blank nodes get labels of their own (unique among all stored records) and a blank root gets its
  // IRI before the split, so the graph is split once.
  const target = id === undefined ? recordUrl(kind, randomUUID(), baseUrl) : recordUrl(kind, id, baseUrl);
  const labelled = relabelBlankNodes(request.quads, `w${randomUUID().replace(/-/g, '').slice(0, 12)}b`);
  const roots = [...findRoots(labelled).values()];
  const blankRoots = roots.filter((r) => r.term.termType === 'BlankNode').length;
  const found = splitIntoRecords(blankRoots === 1 ? mintBlankRoots(labelled, () => target) : labelled);
  if (found.records.length === 0) {
    throw new KatalogError('invalid-request', `The body describes no record: send one ${kind.label} typed ${kind.classes.join(' or ')}.`);
  }
  if (found.records.length > 1) {
    const list = roots.map((r) => `${r.term.termType === 'BlankNode' ? 'a blank node' : `<${r.term.value}>`} (${r.kind.label})`).join(', ');
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
  const { sharedBlankNodes } = found;
  const iri = record.root.value;
  const recordIdOfIri = recordId(iri, kind, baseUrl);
  if (id !== undefined && recordIdOfIri !== id) {
    throw new KatalogError('invalid-request', `The body describes <${iri}>, which is served at /${kind.segment}/${recordIdOfIri}, not /${kind.segment}/${id}.`);
  }

  const { publisher, organisation, members } = describeRecord(record);
  if (!mayWrite(caller, organisation)) {
    throw new KatalogError(
      'forbidden',
      organisation
        ? `Your key writes for organisation ${caller.organisation}; this ${kind.label}'s publisher <${publisher}> is organisation ${organisation}.`
        : `This ${kind.label} names no publisher with an organisation number; name your organisation (${caller.organisation}) as its publisher.`,
    );
  }
  const existing = await store.getByIri(iri);
  if (existing && !mayWrite(caller, existing.organisation)) {
    throw new KatalogError('forbidden', `<${iri}> belongs to organisation ${existing.organisation ?? 'unknown'}; your key writes for ${caller.organisation}.`);
  }
  if (existing && existing.kind !== kind.kind) {
    throw new KatalogError('conflict', `<${iri}> is stored as a ${existing.kind}; delete it there (/${kindInfo(existing.kind).segment}/${existing.id}) before storing it as a ${kind.label}.`);
  }
  if (id === undefined && existing) {
    throw new KatalogError('conflict', `<${iri}> already exists: replace it with PUT /${kind.segment}/${existing.id}.`);
  }

  const profile = request.profileId === undefined ? resources.profiles.defaultFor(kind.kind) : resources.profiles.get(request.profileId);
  if (!profile) throw new KatalogError('not-found', `There is no profile ${request.profileId}.`);
  if (!profile.info.kinds.includes(kind.kind)) throw new KatalogError('invalid-request', `Profile ${profile.info.id} does not validate ${kind.label}s.`);
  const verdict = validateRecord(record.quads, profile, resources);
  const counts = { violations: 0, warnings: 0, info: 0 };
  for (const r of verdict.results) counts[r.severity === 'Violation' ? 'violations' : r.severity === 'Warning' ? 'warnings' : 'info']++;
  const validation: DocumentValidation = {
    conforms: verdict.conforms,
    records: [{ record: iri, kind: kind.kind, profile: profile.info.id, conforms: verdict.conforms, results: verdict.results }],
    skipped: [],
    counts,
  };
  if (!verdict.conforms) throw new KatalogError('shacl-violation', 'The description violates its profile.', { validation });

  const stored = await store.put(
    { iri, kind: kind.kind, id: recordIdOfIri, publisher, organisation, members, ...renderRepresentations(record.quads, record.root, sharedBlankNodes) },
    request.preconditions,
  );
  return { record: stored, created: !existing, validation };
}

/** Deletes a record the caller may write, leaving a tombstone. 404 when absent, 403, 412. */
export async function deleteRecord(store: Store, kind: KindInfo, id: string, caller: Caller, preconditions: WriteOptions): Promise<Tombstone> {
  const existing = await store.get(kind.kind, id);
  if (!existing) throw new KatalogError('not-found', `No ${kind.label} has the id ${id}.`);
  if (!mayWrite(caller, existing.organisation)) {
    throw new KatalogError('forbidden', `<${existing.iri}> belongs to organisation ${existing.organisation ?? 'unknown'}; your key writes for ${caller.organisation}.`);
  }
  const tombstone = await store.delete(existing.iri, preconditions);
  if (!tombstone) throw new KatalogError('not-found', `No ${kind.label} has the id ${id}.`);
  return tombstone;
}
