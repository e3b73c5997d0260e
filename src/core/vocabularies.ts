import type { Quad } from '@rdfjs/types';
import { OWL, RDF_TYPE, SKOS } from './namespaces.js';

/** One entry of vocab/vocabularies.json. */
export interface VocabularyInfo {
  id: string;
  scheme: string;
  schemes?: Array<{ iri: string; concepts: number }>;
  title: { nb: string; en: string };
  file: string;
  concepts: number;
  /** True when the file is the whole published list, so a value outside it is certainly wrong. */
  complete: boolean;
  version?: string;
  source?: Record<string, string>;
}

export interface Concept {
  iri: string;
  labels: Record<string, string>;
  deprecated: boolean;
}

export type Membership = 'member' | 'deprecated' | 'outside';

/**
 * The controlled vocabularies, indexed once at start: concept -> schemes, scheme -> concepts.
 * Validation asks membership here instead of copying vocabularies into each record's graph.
 */
export class VocabularyIndex {
  private readonly schemesOf = new Map<string, Set<string>>();
  private readonly concepts = new Map<string, Concept>();
  private readonly byScheme = new Map<string, Concept[]>();
  /** Per scheme, its live concepts by the length of their local name (see nearest). */
  private readonly byLength = new Map<string, Map<number, Array<{ concept: Concept; local: string }>>>();
  private readonly vocabularyOfScheme = new Map<string, VocabularyInfo>();

  constructor(readonly vocabularies: VocabularyInfo[]) {
    for (const v of vocabularies) for (const s of v.schemes?.map((x) => x.iri) ?? [v.scheme]) this.vocabularyOfScheme.set(s, v);
  }

  /** Adds the triples of one vocabulary file. */
  add(quads: Quad[]): void {
    for (const q of quads) {
      const s = q.subject.value;
      if (q.predicate.value === SKOS('inScheme')) {
        const set = this.schemesOf.get(s) ?? new Set();
        set.add(q.object.value);
        this.schemesOf.set(s, set);
        const concept = this.concept(s);
        const list = this.byScheme.get(q.object.value) ?? [];
        list.push(concept);
        this.byScheme.set(q.object.value, list);
      } else if (q.predicate.value === SKOS('prefLabel') && q.object.termType === 'Literal') {
        this.concept(s).labels[q.object.language || 'und'] = q.object.value;
      } else if (q.predicate.value === OWL('deprecated') && q.object.value === 'true') {
        this.concept(s).deprecated = true;
      } else if (q.predicate.value === RDF_TYPE) {
        // types are implied: every concept is a skos:Concept
      }
    }
  }

  private concept(iri: string): Concept {
    let c = this.concepts.get(iri);
    if (!c) this.concepts.set(iri, (c = { iri, labels: {}, deprecated: false }));
    return c;
  }

  membership(value: string, scheme: string): Membership {
    if (!this.schemesOf.get(value)?.has(scheme)) return 'outside';
    return this.concepts.get(value)?.deprecated ? 'deprecated' : 'member';
  }

  vocabularyOf(scheme: string): VocabularyInfo | undefined {
    return this.vocabularyOfScheme.get(scheme);
  }

  byId(id: string): VocabularyInfo | undefined {
    return this.vocabularies.find((v) => v.id === id);
  }

  /** A concept's labels by language tag ('und' for an untagged one), or undefined for no concept. */
  labelsOf(iri: string): Readonly<Record<string, string>> | undefined {
    return this.concepts.get(iri)?.labels;
  }

  /** The concepts of a scheme. */
  conceptsOf(scheme: string): readonly Concept[] {
    return this.byScheme.get(scheme) ?? [];
  }

  label(iri: string, lang: string): string | undefined {
    const labels = this.concepts.get(iri)?.labels;
    return labels && (labels[lang] ?? labels.en ?? labels.nb ?? labels.und);
  }

  get size(): number {
    return this.concepts.size;
  }

  /**
   * The concept of `scheme` closest to `value` (by edit distance of the part after the last / or #,
   * case-insensitive), when it is close enough to be a likely typo or near miss. Only concepts whose
   * local name is within the accepted distance in length are compared, and a value longer than any
   * concept's local name by more than that gets no suggestion, so one search costs about the
   * length of the value times the few candidates of similar length.
   */
  nearest(value: string, scheme: string): Concept | undefined {
    const buckets = this.lengthBuckets(scheme);
    const wanted = localName(value);
    if (wanted === '' || wanted.length > MAX_HINT_LENGTH) return undefined;
    const limit = Math.max(1, Math.floor(wanted.length / 3));
    let best: Concept | undefined;
    let bestDistance = limit + 1;
    for (let length = wanted.length - limit; length <= wanted.length + limit; length++) {
      for (const { concept, local } of buckets.get(length) ?? []) {
        const d = editDistance(wanted, local, bestDistance);
        if (d < bestDistance) {
          best = concept;
          bestDistance = d;
        }
      }
    }
    return best;
  }

  private lengthBuckets(scheme: string): Map<number, Array<{ concept: Concept; local: string }>> {
    let buckets = this.byLength.get(scheme);
    if (buckets) return buckets;
    buckets = new Map();
    for (const concept of this.byScheme.get(scheme) ?? []) {
      if (concept.deprecated) continue;
      const local = localName(concept.iri);
      const bucket = buckets.get(local.length);
      if (bucket) bucket.push({ concept, local });
      else buckets.set(local.length, [{ concept, local }]);
    }
    this.byLength.set(scheme, buckets);
    return buckets;
  }
}

/** Values longer than this (in their local name) get no nearest-concept suggestion. */
const MAX_HINT_LENGTH = 100;

const localName = (iri: string) => iri.slice(Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#')) + 1).toLowerCase();

/** Levenshtein distance, giving up (returning `limit`) once it cannot beat `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}
