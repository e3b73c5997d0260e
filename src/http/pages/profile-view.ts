import type { Literal, Quad, Term } from '@rdfjs/types';
import { compactName, type PageLanguage, propertyLabel } from '../../catalog/property-labels.js';
import { pickText, safeHref, type Text } from '../../catalog/record-view.js';
import { kindInfo } from '../../core/kinds.js';
import { groupBySubject, termKey } from '../../core/rdf-terms.js';
import type { Profile } from '../../core/validation/profiles.js';
import { SH } from '../../core/validation/shapes.js';
import { shapeAnchor, shapeName } from './page-renderer.js';

/**
 * A profile's page (docs/pages.md, Profiles): each named shape with what it targets and, per
 * property, the counts it asks and the message a publisher reads, so that a report's link to a
 * rule (`/profiles/{id}#shape-...`) leads to the rule.
 */

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const TARGETS = ['targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf'].map((t) => SH + t);

export interface ShapeView {
  anchor: string;
  /** The shape's own page. */
  href: string;
  name: string;
  targets: string;
  rules: Array<{ path: string; count: string; messages: Array<Text & { severity: string }> }>;
}

/** The profile's page: every shape's rules by property, or one shape (`only`, its local name) with every message. */
export function profileView(profile: Profile, lang: PageLanguage, only?: string) {
  const bySubject = groupBySubject(profile.shapes);
  const about = (node: Term) => bySubject.get(termKey(node)) ?? [];
  const objects = (triples: Quad[], predicate: string) => triples.filter((q) => q.predicate.value === predicate).map((q) => q.object);
  const one = (triples: Quad[], local: string) => objects(triples, SH + local)[0]?.value ?? '';
  const messageOf = (triples: Quad[]): Text => {
    const literals = objects(triples, SH + 'message')
      .concat(objects(triples, SH + 'description'))
      .filter((o): o is Literal => o.termType === 'Literal')
      .map((o) => ({ text: o.value, lang: o.language }));
    return pickText(literals, lang === 'nn' ? 'nb' : lang) ?? { text: '', lang: '' };
  };
  const pathOf = (node: Term | undefined): string => {
    if (!node) return '–';
    if (node.termType === 'NamedNode') return `${propertyLabel(node.value, lang)} (${compactName(node.value)})`;
    const inverse = objects(about(node), SH + 'inversePath')[0];
    return inverse ? `^${compactName(inverse.value)}` : compactName(node.value);
  };

  const named = [...bySubject.values()]
    .map((triples) => triples[0]!.subject)
    .filter(
      (s) =>
        s.termType === 'NamedNode' &&
        about(s).some((q) => (q.predicate.value === RDF_TYPE && q.object.value === SH + 'NodeShape') || TARGETS.includes(q.predicate.value)),
    );
  const shapes: ShapeView[] = named.map((shape) => {
    const triples = about(shape);
    const targets = TARGETS.flatMap((t) => objects(triples, t).map((o) => compactName(o.value))).join(', ');
    // One row per property: the counts it asks and every message about it.
    const rules = new Map<string, ShapeView['rules'][number]>();
    for (const node of objects(triples, SH + 'property')) {
      const p = about(node);
      const path = pathOf(objects(p, SH + 'path')[0]);
      const rule = rules.get(path) ?? { path, count: '', messages: [] };
      const [min, max] = [one(p, 'minCount'), one(p, 'maxCount')];
      if (min || max) rule.count = `${min || '0'}..${max || '*'}`;
      const severity = one(p, 'severity');
      const message = messageOf(p);
      if (message.text) rule.messages.push({ severity: severity ? severity.slice(severity.lastIndexOf('#') + 1) : 'Violation', ...message });
      rules.set(path, rule);
    }
    const name = shapeName(shape.value) || shape.value;
    return {
      anchor: shapeAnchor(shape.value),
      href: `/profiles/${profile.info.id}?shape=${encodeURIComponent(name)}`,
      name,
      targets,
      rules: [...rules.values()],
    };
  });
  const info = profile.info;
  return {
    profile: {
      title: info.title[lang === 'en' ? 'en' : 'nb'],
      version: info.version,
      specification: info.specification,
      specificationHref: safeHref(info.specification),
      kinds: info.kinds.map((k) => kindInfo(k).label).join(', '),
    },
    shapes: only === undefined ? shapes : shapes.filter((s) => s.name === only),
    shape: only,
    profileHref: `/profiles/${profile.info.id}`,
  };
}
