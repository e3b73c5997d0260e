import type { Quad, Term } from '@rdfjs/types';
import { clip } from '../budgets.js';
import { CONTEXT } from '../jsonld-context.js';
import { splitKnown } from '../namespaces.js';

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const NOT_IRI = /[\u0000-\u0020<>"{}|^`\\]/;
const NCNAME_TAIL = /[A-Za-z_][A-Za-z0-9._-]*$/;
const LANGUAGE_TAG = /^[a-zA-Z]+(-[a-zA-Z0-9]+)*$/;
/** Terms and prefixes of our JSON-LD context: an IRI whose scheme is one of them would expand to another IRI. */
const CONTEXT_TERMS = new Set(Object.keys(CONTEXT));

/** The XML element name RDF/XML writes a property as, or undefined when XML cannot name it. */
export function xmlPropertyName(iri: string): { namespace: string; local: string; prefix?: string } | undefined {
  const known = splitKnown(iri);
  if (known && known.local !== '') return { namespace: known.namespace, local: known.local, prefix: known.prefix };
  const m = NCNAME_TAIL.exec(iri);
  if (!m || m.index === 0) return undefined;
  return { namespace: iri.slice(0, m.index), local: m[0] };
}

const quote = (value: string) => JSON.stringify(clip(value, 60));

function iriProblem(iri: string): string | undefined {
  if (NOT_IRI.test(iri))
    return `The IRI <${clip(iri, 80)}> holds a space or a character IRIs may not hold (< > " { } | ^ \` \\ or a control character): Turtle and N-Triples cannot carry it. Percent-encode it.`;
  if (LONE_SURROGATE.test(iri)) return `The IRI <${clip(iri, 80)}> holds half of a UTF-16 surrogate pair, which UTF-8 cannot carry.`;
  const scheme = /^([^:/?#]+):/.exec(iri)?.[1];
  if (scheme !== undefined && CONTEXT_TERMS.has(scheme)) {
    return `The IRI <${clip(iri, 80)}> starts with "${scheme}:", which JSON-LD output would read as the prefix ${scheme}: of Katalog's context: JSON-LD cannot carry it.`;
  }
  if (hasDotSegment(iri)) {
    return `The IRI <${clip(iri, 80)}> has a path segment "." or "..": RDF/XML readers resolve every IRI (RFC 3986) and would read it without them, as another IRI. Remove the dot segments.`;
  }
  return undefined;
}

/** True when the path of `iri` (after its scheme and authority, before ? and #) has a segment "." or "..". */
function hasDotSegment(iri: string): boolean {
  // Every IRI of every stored record passes here: most have neither "/." nor ":." and need no parse.
  if (!iri.includes('/.') && !iri.includes(':.')) return false;
  const rest = iri.replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, '');
  const path = (rest.startsWith('//') ? rest.slice(2 + rest.slice(2).search(/[/?#]|$/)) : rest).split(/[?#]/, 1)[0]!;
  return path.split('/').some((segment) => segment === '.' || segment === '..');
}

function termProblem(term: Term): string | undefined {
  if (term.termType === 'NamedNode') return iriProblem(term.value);
  if (term.termType !== 'Literal') return undefined;
  if (NOT_XML.test(term.value)) return `The literal ${quote(term.value)} holds a control character that XML 1.0 cannot carry: RDF/XML cannot express it.`;
  if (LONE_SURROGATE.test(term.value))
    return `The literal ${quote(term.value)} holds half of a UTF-16 surrogate pair, which UTF-8 cannot carry: no syntax can express it.`;
  if (term.language && !LANGUAGE_TAG.test(term.language))
    return `The language tag "${clip(term.language, 40)}" of ${quote(term.value)} is not a language tag: Turtle cannot carry it.`;
  return term.language ? undefined : iriProblem(term.datatype.value);
}

/**
 * What in these triples one of the served syntaxes (Turtle, N-Triples, JSON-LD, RDF/XML, TriG,
 * N-Quads) cannot express, said so that the sender can mend it; undefined when every syntax can.
 * A stored record passes this, so that no whole-catalogue response breaks part-way.
 */
export function unrepresentable(quads: Quad[]): string | undefined {
  for (const q of quads) {
    const problem = termProblem(q.subject) ?? termProblem(q.object);
    if (problem) return problem;
    const p = iriProblem(q.predicate.value);
    if (p) return p;
    if (!xmlPropertyName(q.predicate.value)) {
      return `The property <${clip(q.predicate.value, 80)}> does not end in a name XML allows (a letter or _ then letters, digits, ., - or _): RDF/XML cannot express it.`;
    }
  }
  return undefined;
}
