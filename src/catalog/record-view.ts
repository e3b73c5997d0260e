import type { Literal, Quad, Term } from '@rdfjs/types';
import { type Kind } from '../core/kinds.js';
import { organisationOf } from '../core/organisations.js';
import { groupBySubject, termKey } from '../core/rdf-terms.js';
import type { VocabularyIndex } from '../core/vocabularies.js';
import { expand, type PageLanguage, propertyLabel } from './property-labels.js';
import type { Text } from '../core/search-fields.js';

/**
 * What a record's page shows (docs/pages.md, Record pages): a model built from the record's triples,
 * the labels of vocab/ and the records it links to, with nothing of HTML in it. Every text carries
 * the language tag it came with, every link is one a browser may follow safely, and every list is
 * bounded, so that no record makes a page larger than a person can read (or than 100 KB).
 */

/** A text and the language it is written in ('' when the literal has no tag). */
export type { Text };

/** One value of a property: a text, maybe a link, maybe a node described in place. */
export interface Value extends Text {
  /** Where the value links to: a page of Katalog (a path) or an http(s), mailto or tel URL. */
  href?: string;
  /** The IRI shown under a label, when the value is an IRI with a label. */
  iri?: string;
  node?: NodeView;
}

export interface Property {
  iri: string;
  label: string;
  values: Value[];
  /** Values left out (MAX_VALUES). */
  omitted: number;
}

export interface NodeView {
  title?: Text;
  properties: Property[];
}

/** A record another one links to, as the store knows it. */
export interface LinkedRecord {
  url: string;
  kind: Kind;
  titles: Text[];
}

export interface RecordView {
  iri: string;
  kind: Kind;
  title: Text;
  description?: Text;
  /** The properties a person looks for first, in the kind's order. */
  facts: Property[];
  distributions: NodeView[];
  /** Every other property of the record. */
  rest: Property[];
  related: Array<{ url: string; kind: Kind; title: Text }>;
  /** Something was left out to keep the page small (MAX_VALUES, MAX_PROPERTIES, MAX_PAGE_TEXT). */
  truncated: boolean;
}

export const MAX_VALUES = 50;
/** Characters of one value, and of the description. */
const MAX_TEXT = 1000;
const MAX_DESCRIPTION = 4000;
const MAX_NODES = 300;
const MAX_PROPERTIES = 60;
/**
 * What all values of a page may take, in characters as escaped in HTML, with a little for the
 * markup around each: the record's part of a page that stays under 100 KB whatever the record holds.
 */
const MAX_PAGE_TEXT = 40_000;
const VALUE_MARKUP = 80;
const MAX_DEPTH = 3;

const TITLE = expand('dct:title');
const DESCRIPTION = expand('dct:description');
const DISTRIBUTION = expand('dcat:distribution');
const TYPE = expand('rdf:type');
const NAMES = ['foaf:name', 'dct:title', 'skos:prefLabel', 'vcard:fn', 'rdfs:label', 'dct:identifier'].map((n) => expand(n as `dct:${string}`));
const ANY_URI = expand('xsd:anyURI');

/** The properties shown first, per kind (DCAT-AP-NO's and CPSV-AP-NO's mandatory and recommended ones). */
const FACTS: Record<Kind, string[]> = {
  catalog: ['dct:publisher', 'dct:license', 'dcat:themeTaxonomy', 'dct:language', 'dcat:contactPoint', 'dct:modified', 'foaf:homepage'],
  dataset: [
    'dct:publisher',
    'dcat:theme',
    'dcat:keyword',
    'dct:license',
    'dct:accessRights',
    'dcat:contactPoint',
    'dct:modified',
    'dcat:landingPage',
    'dct:spatial',
    'dct:temporal',
    'dct:accrualPeriodicity',
    'dcat:inSeries',
  ],
  'dataset-series': [
    'dct:publisher',
    'dcat:theme',
    'dcat:keyword',
    'dct:license',
    'dct:accessRights',
    'dcat:contactPoint',
    'dct:modified',
    'dct:accrualPeriodicity',
  ],
  'data-service': [
    'dct:publisher',
    'dcat:endpointURL',
    'dcat:endpointDescription',
    'dcat:servesDataset',
    'dct:format',
    'dcat:mediaType',
    'dct:license',
    'dct:accessRights',
    'dcat:contactPoint',
    'dcat:theme',
    'dcat:keyword',
    'dct:modified',
  ],
  service: [
    'cv:hasCompetentAuthority',
    'cv:hasChannel',
    'cv:hasCost',
    'cv:hasInput',
    'cv:hasRequirement',
    'cpsvno:hasRequiredEvidence',
    'cv:isGroupedBy',
    'cv:contactPoint',
    'cv:thematicArea',
    'dcat:keyword',
    'foaf:homepage',
    'cpsvno:hasPossibleOutput',
    'cv:hasLegalResource',
  ],
  event: ['dct:type', 'cv:hasCompetentAuthority', 'dct:relation', 'cpsvno:mayTriggerNeedFor', 'cv:thematicArea', 'dcat:keyword'],
};

const FACT_IRIS = Object.fromEntries(Object.entries(FACTS).map(([kind, names]) => [kind, names.map((n) => expand(n as `dct:${string}`))])) as Record<
  Kind,
  string[]
>;

/** Which language tags a reader of each page language is best served by, best first ('' untagged). */
const PREFERENCE: Record<PageLanguage, string[]> = {
  nb: ['nb', 'no', 'nn', '', 'en'],
  nn: ['nn', 'no', 'nb', '', 'en'],
  en: ['en', '', 'nb', 'no', 'nn'],
};
const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;
const rank = (tag: string, lang: PageLanguage) => {
  const at = PREFERENCE[lang].indexOf(primary(tag));
  return at === -1 ? PREFERENCE[lang].length : at;
};

const clipText = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The length of a text as HTML escapes it. */
const escapedLength = (text: string) => text.length + 5 * (text.match(/[<>&"']/g)?.length ?? 0);

/** The text of `literals` a reader of `lang` is best served by (at most `max` characters), or undefined for none. */
export function pickText(literals: ReadonlyArray<Text>, lang: PageLanguage, max = MAX_TEXT): Text | undefined {
  let best: Text | undefined;
  for (const literal of literals) if (!best || rank(literal.lang, lang) < rank(best.lang, lang)) best = literal;
  return best && { text: clipText(best.text, max), lang: best.lang };
}

/** A concept's or a record's labels (by language, 'und' for none) as texts. */
export const textsOf = (labels: Readonly<Record<string, string>>): Text[] =>
  Object.entries(labels).map(([lang, text]) => ({ text, lang: lang === 'und' ? '' : lang }));

/** An IRI a browser may follow from a page: http(s), mailto and tel only (never javascript: or data:). */
export function safeHref(iri: string): string | undefined {
  return /^(https?:\/\/|mailto:|tel:)[^\s]*$/i.test(iri) ? iri : undefined;
}

/** The properties whose values are agents: an organisation's value links to its records. */
const AGENTS = new Set(['dct:publisher', 'cv:hasCompetentAuthority', 'cv:ownedBy'].map((n) => expand(n as `dct:${string}`)));

export interface ViewInput {
  iri: string;
  kind: Kind;
  quads: Quad[];
  lang: PageLanguage;
  vocabularies: VocabularyIndex;
  /** The records the store knows among the record's linked IRIs (linkedIris). */
  linked: ReadonlyMap<string, LinkedRecord>;
  /** A Katalog URL as a link of the page (a path), any other IRI as it is. */
  local: (iri: string) => string;
}

/**
 * The IRIs a record's N-Triples link to that may be records of the store (its own IRI, classes and
 * vocabulary concepts left out), at most `max`: read from the text, one triple per line, so that a
 * large record is not parsed for it.
 */
export function linkedIris(nt: string, root: string, vocabularies: VocabularyIndex, max = 40): string[] {
  const found = new Set<string>();
  for (const line of nt.split('\n')) {
    if (found.size >= max) break;
    const object = OBJECT_IRI.exec(line)?.[1];
    if (object && object !== root && !line.includes(TYPE_TERM) && !vocabularies.labelsOf(object)) found.add(object);
  }
  return [...found];
}

/** The object IRI of an N-Triples line (IRIs hold no spaces and no `>`; a datatype IRI follows `^^`, not a space). */
const OBJECT_IRI = / <([^<>\s]*)> \.$/;
const TYPE_TERM = `> <${expand('rdf:type')}> <`;

/** The record's page model (see RecordView). */
export function recordView(input: ViewInput): RecordView {
  const { iri, kind, quads, lang } = input;
  const bySubject = groupBySubject(quads);
  const about = (node: Term) => bySubject.get(termKey(node)) ?? [];
  const root = quads.find((q) => q.subject.value === iri && q.subject.termType === 'NamedNode')?.subject;
  const own = root ? about(root) : [];
  const related = new Map<string, { url: string; kind: Kind; title: Text }>();
  const visited = new Set<string>(root ? [termKey(root)] : []);
  let budget = MAX_NODES;
  let room = MAX_PAGE_TEXT;
  let truncated = false;

  const literalsOf = (triples: Quad[], predicate: string) =>
    triples
      .filter((q) => q.predicate.value === predicate && q.object.termType === 'Literal')
      .map((q) => ({ text: q.object.value, lang: (q.object as Literal).language }));
  const nameOf = (node: Term) => {
    const triples = about(node);
    for (const predicate of NAMES) {
      const text = pickText(literalsOf(triples, predicate), lang);
      if (text) return text;
    }
    return undefined;
  };

  const valueOf = (predicate: string, object: Term, depth: number): Value => {
    if (object.termType === 'Literal') {
      const href = object.datatype.value === ANY_URI ? safeHref(object.value) : undefined;
      return { text: clipText(object.value), lang: object.language, ...(href ? { href } : {}) };
    }
    const key = termKey(object);
    const record = object.termType === 'NamedNode' ? input.linked.get(object.value) : undefined;
    if (record) {
      const title = pickText(record.titles, lang, 200) ?? { text: clipText(object.value, 200), lang: '' };
      related.set(object.value, { url: record.url, kind: record.kind, title });
      return { ...title, href: record.url, iri: object.value };
    }
    const labels = object.termType === 'NamedNode' ? input.vocabularies.labelsOf(object.value) : undefined;
    const label = labels ? pickText(textsOf(labels), lang) : undefined;
    if (label) return { ...label, iri: object.value, ...linkTo(predicate, object.value) };
    const described = about(object).length > 0 && !visited.has(key) && depth < MAX_DEPTH && budget > 0;
    if (described) {
      visited.add(key);
      budget--;
      const node = nodeView(object, depth + 1);
      const title = node.title ?? { text: object.termType === 'NamedNode' ? object.value : '', lang: '' };
      return { ...title, node, ...(object.termType === 'NamedNode' ? { iri: object.value, ...linkTo(predicate, object.value) } : {}) };
    }
    if (object.termType !== 'NamedNode') return { ...(nameOf(object) ?? { text: '–', lang: '' }) };
    const name = nameOf(object);
    // An address or a number reads as itself, without its scheme.
    const text = object.value.replace(/^(mailto|tel):/i, '');
    return { ...(name ?? { text, lang: '' }), ...(name ? { iri: object.value } : {}), ...linkTo(predicate, object.value) };
  };

  const linkTo = (predicate: string, value: string): { href?: string } => {
    const organisation = AGENTS.has(predicate) ? organisationOf(value) : undefined;
    if (organisation) return { href: `/search?publisher=${organisation}` };
    const target = input.local(value);
    const href = target.startsWith('/') ? target : safeHref(target);
    return href ? { href } : {};
  };

  const propertiesOf = (triples: Quad[], depth: number, skip: ReadonlySet<string>): Property[] => {
    const byPredicate = new Map<string, Term[]>();
    for (const q of triples) {
      if (skip.has(q.predicate.value)) continue;
      const list = byPredicate.get(q.predicate.value) ?? [];
      list.push(q.object);
      byPredicate.set(q.predicate.value, list);
    }
    if (byPredicate.size > MAX_PROPERTIES) truncated = true;
    return [...byPredicate].slice(0, MAX_PROPERTIES).map(([predicate, objects]) => propertyOf(predicate, objects, depth));
  };

  const propertyOf = (predicate: string, objects: Term[], depth: number): Property => {
    // Texts given in several languages: the reader's (or the nearest) language only.
    const tags = objects.filter((o) => o.termType === 'Literal' && o.language !== '').map((o) => (o as Literal).language);
    const best = tags.length > 0 ? tags.reduce((a, b) => (rank(b, lang) < rank(a, lang) ? b : a)) : undefined;
    const shown = best === undefined ? objects : objects.filter((o) => o.termType !== 'Literal' || o.language === '' || primary(o.language) === primary(best));
    const values: Value[] = [];
    for (const object of shown) {
      if (values.length >= MAX_VALUES || room <= 0) break;
      const value = valueOf(predicate, object, depth);
      // A value described in place has paid for its own values already.
      room -= escapedLength(value.text) + (value.href?.length ?? 0) + (value.iri?.length ?? 0) + VALUE_MARKUP;
      values.push(value);
    }
    if (values.length < shown.length) truncated = true;
    return { iri: predicate, label: propertyLabel(predicate, lang), values, omitted: shown.length - values.length };
  };

  const nodeView = (node: Term, depth: number): NodeView => {
    const title = nameOf(node);
    return { ...(title ? { title } : {}), properties: propertiesOf(about(node), depth, NAME_SET) };
  };

  // In the order a person reads them, so that what the page's bounds leave out is what comes last.
  const factIris = FACT_IRIS[kind];
  const factSet = new Set(factIris);
  const facts = factIris.flatMap((predicate) => {
    const objects = own.filter((q) => q.predicate.value === predicate).map((q) => q.object);
    return objects.length > 0 ? [propertyOf(predicate, objects, 0)] : [];
  });
  const parts = own.filter((q) => q.predicate.value === DISTRIBUTION && q.object.termType !== 'Literal');
  for (const q of parts) visited.add(termKey(q.object));
  const distributions: NodeView[] = [];
  for (const q of parts) {
    if (distributions.length >= MAX_VALUES || room <= 0) break;
    distributions.push(nodeView(q.object, 1));
  }
  if (distributions.length < parts.length) truncated = true;
  const rest = propertiesOf(own, 0, new Set([...factSet, TITLE, DESCRIPTION, DISTRIBUTION, TYPE]));
  const title = pickText(literalsOf(own, TITLE), lang) ?? { text: clipText(iri), lang: '' };
  const description = pickText(literalsOf(own, DESCRIPTION), lang, MAX_DESCRIPTION);
  return { iri, kind, title, ...(description ? { description } : {}), facts, distributions, rest, related: [...related.values()], truncated };
}

const NAME_SET: ReadonlySet<string> = new Set([expand('foaf:name'), TITLE, expand('vcard:fn'), expand('skos:prefLabel'), TYPE]);

/**
 * The least of a record's page: its key facts, five values each, nothing described in place. For a
 * record whose full page would pass 100 KB (the page says that not everything is shown).
 */
export function compactView(view: RecordView): RecordView {
  const facts = view.facts.map((p) => ({
    ...p,
    values: p.values.slice(0, 5).map(({ node: _node, ...value }) => value),
    omitted: p.omitted + Math.max(0, p.values.length - 5),
  }));
  return { ...view, facts, distributions: [], rest: [], related: view.related.slice(0, 20), truncated: true };
}
