import { KatalogError } from '../core/errors.js';
import { kindInfo } from '../core/kinds.js';
import { organisationOf } from '../core/organisations.js';
import type { IriClaim } from '../store/store.js';
import { type Caller, callerOrganisations } from './api-keys.js';
import type { PreparedWrite } from './writes.js';

/**
 * The organisation a record belongs to: the one every publisher-like value names, in the IRI
 * forms of src/core/organisations.ts. A caller that is not admin must be that organisation.
 * Throws forbidden (403) naming the value otherwise.
 */
function owningOrganisation(prepared: PreparedWrite, caller: Caller): string {
  const label = kindInfo(prepared.kind).label;
  if (prepared.publishers.length === 0) {
    throw new KatalogError(
      'forbidden',
      `This ${label} names no publisher: name your organisation (${callerOrganisations(caller)}) as its dct:publisher, as <https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${caller.organisations[0] ?? '{orgnr}'}>.`,
    );
  }
  let owner: string | undefined;
  for (const p of prepared.publishers) {
    const organisation = p.iri ? organisationOf(p.value) : undefined;
    const shown = p.iri ? `<${p.value}>` : p.value;
    if (!organisation) {
      throw new KatalogError(
        'forbidden',
        `The value ${shown} of <${p.property}> is not an organisation IRI: use https://organization-catalog.fellesdatakatalog.digdir.no/organizations/{orgnr} or https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}.`,
      );
    }
    if (!caller.admin && !caller.organisations.includes(organisation)) {
      throw new KatalogError(
        'forbidden',
        `Your credential writes for organisation ${callerOrganisations(caller)}; <${p.property}> names organisation ${organisation} (${shown}).`,
      );
    }
    if (owner !== undefined && organisation !== owner) {
      throw new KatalogError('forbidden', `This ${label} names two organisations (${owner} and ${organisation}): a record belongs to one.`);
    }
    owner = organisation;
  }
  return owner!;
}

/**
 * Authorises a write (README "Ownership"): the publisher-like values name the caller's
 * organisation (owningOrganisation), and the IRIs the body touches, with their `claims` in the
 * store: its own IRI is not held by another organisation (a record, live or deleted, or a catalogue
 * of theirs listing it), no other IRI it describes is a record or another organisation's IRI, and a
 * catalogue lists only records no other organisation holds. Returns the owning organisation;
 * throws forbidden (403) naming the IRI otherwise. An admin may write for any organisation, but
 * never gives triples about another record.
 */
export function authorise(prepared: PreparedWrite, caller: Caller, claims: Map<string, IriClaim>): string {
  const kind = kindInfo(prepared.kind);
  const organisation = owningOrganisation(prepared, caller);
  const { iri } = prepared;
  const own = claims.get(iri);
  if (own?.record && own.record.organisation !== organisation && !caller.admin) {
    const deleted = own.record.deleted ? ' It was deleted, and its IRI stays theirs.' : '';
    throw new KatalogError(
      'forbidden',
      `<${iri}> belongs to organisation ${own.record.organisation ?? 'unknown'}; this ${kind.label} is organisation ${organisation}'s.${deleted}`,
    );
  }
  const foreignListing = own?.listedBy.find((l) => l.organisation !== organisation);
  if (foreignListing && !caller.admin) {
    throw new KatalogError(
      'forbidden',
      `<${iri}> is listed by <${foreignListing.catalog}>, a catalogue of organisation ${foreignListing.organisation ?? 'unknown'}: the IRI is theirs.`,
    );
  }
  for (const other of prepared.described) {
    const held = claims.get(other)?.record;
    if (held) {
      throw new KatalogError(
        'forbidden',
        `The body gives triples about <${other}>, which is a record of its own (organisation ${held.organisation ?? 'unknown'}): describe it in its own record.`,
      );
    }
    const named = organisationOf(other);
    if (named !== undefined && named !== organisation) {
      throw new KatalogError(
        'forbidden',
        `The body gives triples about <${other}>, the IRI of organisation ${named}: describe only your own organisation (${organisation}).`,
      );
    }
  }
  for (const member of prepared.members) {
    const held = claims.get(member)?.record;
    if (held && held.organisation !== organisation) {
      throw new KatalogError(
        'forbidden',
        `This catalogue lists <${member}>, a record of organisation ${held.organisation ?? 'unknown'}: a catalogue lists its own organisation's records.`,
      );
    }
  }
  return organisation;
}
