import { Parser } from 'n3';
import { kindInfo, type Kind } from '../core/kinds.js';
import { DCT, XSD } from '../core/namespaces.js';
import type { Change } from '../store/store.js';
import { recordUrl } from './record-ids.js';

/**
 * The latest changes as an Atom 1.0 feed (RFC 4287), for people and feed readers: one entry per
 * change, linking the record's page. The RDF feed (feed.ts) stays the machine-readable source; this
 * is a view of it, written by hand because it is small and every string in it is escaped here.
 */

/** A record's dct:title in the two languages a feed is written in; either may be missing. */
export interface AtomEntryTitle {
  nb?: string;
  en?: string;
}

export type AtomLanguage = 'nb' | 'en';

/** A feed's <updated> before anything has changed: Atom requires one. */
const EPOCH = '1970-01-01T00:00:00.000Z';

const TEXTS = {
  nb: {
    title: 'Endringer i Katalog',
    verb: { create: 'Ny', update: 'Endret', delete: 'Slettet' },
    done: { create: 'ble opprettet', update: 'ble endret', delete: 'ble slettet' },
  },
  en: {
    title: 'Changes in Katalog',
    verb: { create: 'New', update: 'Changed', delete: 'Deleted' },
    done: { create: 'was created', update: 'was changed', delete: 'was deleted' },
  },
} as const;

/** The kinds in Norwegian, definite form, to open a sentence (the English labels are kinds.ts's). */
const NB_KIND: Record<Kind, string> = {
  catalog: 'Katalogen',
  'dataset-series': 'Datasettserien',
  dataset: 'Datasettet',
  'data-service': 'Datatjenesten',
  service: 'Den offentlige tjenesten',
  event: 'Hendelsen',
};

/**
 * Characters XML 1.0 does not allow anywhere, even as references: C0 controls other than tab, LF and
 * CR, lone surrogates (the `u` flag sees them as code points of their own) and U+FFFE/U+FFFF.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe in both element content and a double- or single-quoted attribute. */
function xml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `<name attr="…">text</name>`, or `<name attr="…"/>` without text; everything escaped. */
function element(name: string, attributes: Record<string, string>, text?: string): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xml(value)}"`)
    .join('');
  return text === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${xml(text)}</${name}>`;
}

/** The title in the feed's language, else in the other one, else nothing. */
function localTitle(title: AtomEntryTitle | undefined, language: AtomLanguage): string | undefined {
  const other = language === 'nb' ? 'en' : 'nb';
  return title?.[language] || title?.[other] || undefined;
}

function summary(change: Change, language: AtomLanguage): string {
  const done = TEXTS[language].done[change.op];
  return language === 'nb' ? `${NB_KIND[change.kind]} ${change.iri} ${done}.` : `The ${kindInfo(change.kind).label} ${change.iri} ${done}.`;
}

function entry(change: Change, baseUrl: string, language: AtomLanguage, title: AtomEntryTitle | undefined): string {
  const name = localTitle(title, language) ?? change.iri;
  return [
    '<entry>',
    element('id', {}, `${baseUrl}/feed/activities/${change.seq}`),
    element('title', {}, `${TEXTS[language].verb[change.op]}: ${name}`),
    element('updated', {}, change.at),
    element('link', { rel: 'alternate', href: recordUrl(kindInfo(change.kind), change.id, baseUrl) }),
    element('category', { term: change.kind }),
    element('summary', {}, summary(change, language)),
    '</entry>',
  ].join('\n');
}

/**
 * An Atom feed of the given changes, in their order (newest first, as the caller chose them). The
 * result is well-formed XML whatever the titles hold: every text and attribute is escaped and
 * characters XML cannot carry are dropped. An entry links its record's page even for a delete.
 * Without `updated` the feed is as old as its newest change, or the epoch when there is none.
 */
export function atomFeed(options: {
  baseUrl: string;
  selfUrl: string;
  language: AtomLanguage;
  changes: Change[];
  titles: Map<string, AtomEntryTitle>;
  updated?: string;
}): string {
  const { baseUrl, selfUrl, language, changes, titles } = options;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(language)}">`,
    element('id', {}, selfUrl),
    element('title', {}, TEXTS[language].title),
    element('updated', {}, options.updated ?? changes[0]?.at ?? EPOCH),
    element('link', { rel: 'self', type: 'application/atom+xml', href: selfUrl }),
    element('link', { rel: 'alternate', type: 'application/trig', href: `${baseUrl}/feed` }),
    '<author><name>Katalog</name></author>',
    element('generator', {}, 'Katalog'),
    ...changes.map((change) => entry(change, baseUrl, language, titles.get(change.iri))),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

/**
 * The dct:title of `iri` in a record's N-Triples: the first nb title (a title without a language
 * counts as nb when there is none in nb) and the first en title. Input that does not parse gives
 * `{}`: a feed must not fail over one record's text.
 */
export function titlesOf(nt: string, iri: string): AtomEntryTitle {
  let quads;
  try {
    quads = new Parser({ format: 'N-Triples' }).parse(nt);
  } catch {
    return {};
  }
  const found: { nb?: string; en?: string; plain?: string } = {};
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode' || q.subject.value !== iri || q.predicate.value !== DCT('title') || q.object.termType !== 'Literal') continue;
    const language = q.object.language.toLowerCase();
    const plain = language === '' && q.object.datatype.value === XSD('string');
    const slot = language === 'nb' ? 'nb' : language === 'en' ? 'en' : plain ? 'plain' : undefined;
    if (slot && found[slot] === undefined) found[slot] = q.object.value;
  }
  const nb = found.nb ?? found.plain;
  return { ...(nb !== undefined && { nb }), ...(found.en !== undefined && { en: found.en }) };
}
