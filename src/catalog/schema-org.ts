import type { Kind } from '../core/kinds.js';
import { expand } from './property-labels.js';
import type { NodeView, Property, RecordView, Value } from './record-view.js';

/**
 * A record as schema.org JSON-LD for web search engines and dataset search (docs/pages.md,
 * "schema.org"): Dataset, DataCatalog, WebAPI, GovernmentService, or Thing for an event (schema.org
 * has no life event). Built from the page's model, so it says what the page says, in its language.
 */

const TYPES: Record<Kind, string> = {
  catalog: 'DataCatalog',
  dataset: 'Dataset',
  'dataset-series': 'Dataset',
  'data-service': 'WebAPI',
  service: 'GovernmentService',
  event: 'Thing',
};

/** Lists and names are kept short: the block describes the page for search engines, the page has the rest. */
const MAX_LISTED = 20;
const short = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

const find = (properties: Property[], name: `${string}:${string}`) => properties.find((p) => p.iri === expand(name as `dct:${string}`));
const texts = (property: Property | undefined) => property?.values.map((v) => v.text) ?? [];
const links = (property: Property | undefined) => property?.values.flatMap((v) => ((v.iri ?? v.href) ? [v.iri ?? v.href!] : [])) ?? [];
const one = <T>(list: T[]): T | T[] | undefined => (list.length === 0 ? undefined : list.length === 1 ? list[0] : list);

const organisation = (value: Value | undefined) => value && { '@type': 'Organization', name: value.text, ...(value.iri ? { '@id': value.iri } : {}) };

function distribution(node: NodeView) {
  const url = links(find(node.properties, 'dcat:downloadURL'))[0] ?? links(find(node.properties, 'dcat:accessURL'))[0];
  const format = [...texts(find(node.properties, 'dcat:mediaType')), ...texts(find(node.properties, 'dct:format'))][0];
  return {
    '@type': 'DataDownload',
    ...(node.title ? { name: node.title.text } : {}),
    ...(url ? { contentUrl: url } : {}),
    ...(format ? { encodingFormat: format } : {}),
  };
}

/** The schema.org description of a record's page at `url`; `members` are the catalogue's records a page lists. */
export function schemaOrgOf(view: RecordView, url: string, lang: string, members: Array<{ url: string; title: string }> = []): Record<string, unknown> {
  const all = [...view.facts, ...view.rest];
  const publisher = organisation(find(all, 'dct:publisher')?.values[0] ?? find(all, 'cv:hasCompetentAuthority')?.values[0]);
  const described: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': TYPES[view.kind],
    '@id': view.iri,
    url,
    name: view.title.text,
    inLanguage: lang,
    ...(view.description ? { description: view.description.text } : {}),
    identifier: view.iri,
  };
  const modified = texts(find(all, 'dct:modified'))[0];
  if (modified) described.dateModified = modified;
  const keywords = texts(find(all, 'dcat:keyword')).slice(0, MAX_LISTED).map(short);
  if (keywords.length > 0) described.keywords = keywords;
  const license = one(links(find(all, 'dct:license')));
  if (license) described.license = license;
  if (view.kind === 'service') {
    if (publisher) described.provider = publisher;
    const channels = find(all, 'cv:hasChannel')?.values ?? [];
    if (channels.length > 0)
      described.availableChannel = channels.map((c) => ({ '@type': 'ServiceChannel', name: c.text, ...(c.href ? { serviceUrl: c.href } : {}) }));
  } else if (view.kind === 'data-service') {
    if (publisher) described.provider = publisher;
    const documentation = links(find(all, 'dcat:endpointDescription'))[0];
    if (documentation) described.documentation = documentation;
  } else if (publisher) {
    described.publisher = publisher;
  }
  if (view.kind === 'dataset' || view.kind === 'dataset-series') {
    if (view.distributions.length > 0) described.distribution = view.distributions.slice(0, MAX_LISTED).map(distribution);
    const access = find(all, 'dct:accessRights')?.values[0]?.iri;
    if (access) described.isAccessibleForFree = access.endsWith('/PUBLIC');
  }
  if (view.kind === 'catalog' && members.length > 0)
    described.dataset = members.slice(0, MAX_LISTED).map((m) => ({ '@type': 'Dataset', name: short(m.title), url: m.url }));
  return described;
}

/** JSON for a `<script type="application/ld+json">` block: nothing in it can end the element or start markup. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
