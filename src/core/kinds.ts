import { CPSV, CPSVNO, CV, DCAT, DCATNO } from './namespaces.js';

/** The six kinds of record (docs/design.md, Records), in the order a type decides the kind. */
export const KINDS = [
  { kind: 'catalog', segment: 'catalogs', classes: [DCAT('Catalog')], label: 'catalogue' },
  { kind: 'dataset-series', segment: 'dataset-series', classes: [DCAT('DatasetSeries')], label: 'dataset series' },
  { kind: 'dataset', segment: 'datasets', classes: [DCAT('Dataset')], label: 'dataset' },
  { kind: 'data-service', segment: 'data-services', classes: [DCAT('DataService')], label: 'data service' },
  { kind: 'service', segment: 'services', classes: [CPSV('PublicService'), CPSVNO('Service')], label: 'public service' },
  { kind: 'event', segment: 'events', classes: [CV('Event'), CV('LifeEvent'), CV('BusinessEvent')], label: 'event' },
] as const;

export type Kind = (typeof KINDS)[number]['kind'];
export type KindInfo = (typeof KINDS)[number];
export type Segment = KindInfo['segment'];

const byClass = new Map<string, KindInfo>();
for (const info of KINDS) for (const cls of info.classes) byClass.set(cls, info);

export const SEGMENTS: readonly Segment[] = KINDS.map((k) => k.segment);

/** The kind a set of rdf:type values makes a subject, or undefined when it is not a record. */
export function kindOfTypes(types: Iterable<string>): KindInfo | undefined {
  let best: KindInfo | undefined;
  for (const type of types) {
    const info = byClass.get(type);
    if (info && (!best || KINDS.indexOf(info) < KINDS.indexOf(best))) best = info;
  }
  return best;
}

export function kindInfo(kind: Kind): KindInfo {
  return KINDS.find((k) => k.kind === kind)!;
}

export function kindOfSegment(segment: string): KindInfo | undefined {
  return KINDS.find((k) => k.segment === segment);
}

/**
 * How a catalogue links each kind of member (the properties Felles datakatalog's harvester reads).
 * Dataset series are datasets for this purpose.
 */
export const MEMBER_LINK: Record<Exclude<Kind, 'catalog'>, string> = {
  dataset: DCAT('dataset'),
  'dataset-series': DCAT('dataset'),
  'data-service': DCAT('service'),
  service: DCATNO('containsService'),
  event: DCATNO('containsEvent'),
};

/** Every property that makes its object a member of the subject catalogue. */
export const MEMBERSHIP_PROPERTIES = new Set<string>([...Object.values(MEMBER_LINK), DCAT('catalog')]);
