import type { Quad, Term } from '@rdfjs/types';
import { RDF } from '../../src/core/namespaces.js';

/** Reading W3C test manifests (SHACL Core, RDF 1.1) as plain quads: they are small, a scan is enough. */
export const objects = (quads: Quad[], s: Term, p: string) => quads.filter((q) => q.subject.equals(s) && q.predicate.value === p).map((q) => q.object);

export const one = (quads: Quad[], s: Term, p: string) => objects(quads, s, p)[0];

/** The members of the RDF list at `head` (none for rdf:nil or no head). */
export function list(quads: Quad[], head: Term | undefined): Term[] {
  const items: Term[] = [];
  for (let node = head; node && node.value !== RDF('nil'); node = one(quads, node, RDF('rest'))) items.push(one(quads, node, RDF('first'))!);
  return items;
}
