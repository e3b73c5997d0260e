/**
 * The IRIs that name an organisation (README "Writing records"): the two forms Felles datakatalog
 * uses, with the nine-digit organisation number as the whole last segment. Nothing else counts,
 * however many digits it holds, so that no IRI can pass for an organisation it merely mentions.
 */
const ORGANISATION_IRI =
  /^https:\/\/(?:organization-catalog\.fellesdatakatalog\.digdir\.no\/organizations|data\.brreg\.no\/enhetsregisteret\/api\/enheter)\/(\d{9})$/;

/** The organisation number an organisation IRI names, or undefined for any other IRI. */
export function organisationOf(iri: string | undefined): string | undefined {
  return iri === undefined ? undefined : ORGANISATION_IRI.exec(iri)?.[1];
}

/** The recommended IRI of an organisation. */
export function organisationIri(organisation: string): string {
  return `https://organization-catalog.fellesdatakatalog.digdir.no/organizations/${organisation}`;
}
