import type { Quad } from '@rdfjs/types';
import { KatalogError } from '../errors.js';
import { clip } from '../budgets.js';
import { PREFIXES } from '../namespaces.js';
import { isPlainString } from '../rdf-terms.js';
import { xmlPropertyName } from './representable.js';

/**
 * A flat RDF/XML writer: one rdf:Description per subject, blank nodes by rdf:nodeID. Written by
 * hand because no maintained RDF/XML serialiser is published on npm; rdfxml-streaming-parser is its
 * oracle in the tests.
 */
export const RDFXML_HEAD =
  '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n' +
  Object.entries(PREFIXES)
    .map(([prefix, ns]) => `    xmlns:${prefix}="${ns}"`)
    .join('\n') +
  '>\n';

export const RDFXML_TAIL = '</rdf:RDF>\n';

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function escapeXml(value: string, attribute: boolean): string {
  if (NOT_XML.test(value)) {
    throw new KatalogError('not-acceptable', 'A literal holds a control character that XML 1.0 cannot carry; ask for another syntax.');
  }
  let out = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  if (attribute) out = out.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
  return out;
}

function propertyElement(iri: string): { open: string; close: string } {
  const name = xmlPropertyName(iri);
  if (!name) throw new KatalogError('not-acceptable', `The property <${clip(iri)}> cannot be written in RDF/XML; ask for another syntax.`);
  if (name.prefix) return { open: `${name.prefix}:${name.local}`, close: `${name.prefix}:${name.local}` };
  return { open: `ns0:${name.local} xmlns:ns0="${escapeXml(name.namespace, true)}"`, close: `ns0:${name.local}` };
}

function subjectAttribute(q: Quad['subject']): string {
  return q.termType === 'BlankNode' ? `rdf:nodeID="${q.value}"` : `rdf:about="${escapeXml(q.value, true)}"`;
}

/** Writes triples as rdf:Description elements (no XML head or tail), grouped by subject. */
export function writeRdfXmlBody(quads: Quad[]): string {
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = (q.subject.termType === 'BlankNode' ? '_:' : '') + q.subject.value;
    const list = bySubject.get(key);
    if (list) list.push(q);
    else bySubject.set(key, [q]);
  }
  let out = '';
  for (const list of bySubject.values()) {
    out += `  <rdf:Description ${subjectAttribute(list[0]!.subject)}>\n`;
    for (const { predicate, object } of list) {
      const { open, close } = propertyElement(predicate.value);
      if (object.termType === 'NamedNode') out += `    <${open} rdf:resource="${escapeXml(object.value, true)}"/>\n`;
      else if (object.termType === 'BlankNode') out += `    <${open} rdf:nodeID="${object.value}"/>\n`;
      else if (object.termType === 'Literal') {
        const attr = object.language
          ? ` xml:lang="${escapeXml(object.language, true)}"`
          : isPlainString(object)
            ? ''
            : ` rdf:datatype="${escapeXml(object.datatype.value, true)}"`;
        out += `    <${open}${attr}>${escapeXml(object.value, false)}</${close}>\n`;
      }
    }
    out += '  </rdf:Description>\n';
  }
  return out;
}
