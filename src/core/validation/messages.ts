import type { Term } from '@rdfjs/types';
import type { VocabularyIndex } from '../vocabularies.js';
import { type Constraint, display, type Words } from './components/component.js';
import type { Shape } from './shapes.js';

/**
 * Nearest-concept searches per validated graph: a record with thousands of values outside a
 * vocabulary gets the hint on the first ones and the vocabulary's name on all.
 */
const MAX_HINTS = 20;

/** Composes the messages of results, in nb and en; one per validation, so that it can count its hints. */
export class MessageComposer {
  private hints = 0;
  constructor(private readonly vocabularies: VocabularyIndex) {}

  /**
   * The shape's sh:message (or, without one, its name and what the constraint asks), the value that
   * failed, and for a vocabulary the vocabulary's name and the nearest concept.
   */
  compose(shape: Shape, constraint: Constraint, path: string, value?: Term): Words {
    const base = {
      nb: shape.messages.nb ?? shape.messages.en ?? `${shape.names.nb ?? (path || shape.owner)}: ${constraint.words.nb}.`,
      en: shape.messages.en ?? shape.messages.nb ?? `${shape.names.en ?? (path || shape.owner)}: ${constraint.words.en}.`,
    };
    if (!value) return base;
    const extra = this.vocabularyHint(value, constraint);
    return {
      nb: `${base.nb} Verdi: ${display(value)}.${extra ? ' ' + extra.nb : ''}`,
      en: `${base.en} Value: ${display(value)}.${extra ? ' ' + extra.en : ''}`,
    };
  }

  /** What to add to a vocabulary failure: the vocabularies' names and the nearest concept. */
  private vocabularyHint(value: Term, constraint: Constraint): Words | undefined {
    const schemes = [...new Set(vocabularySchemes(constraint))];
    if (schemes.length === 0) return undefined;
    const v = this.vocabularies;
    const names = (lang: 'nb' | 'en', quote: (s: string) => string) =>
      schemes.map((scheme) => `${quote(v.vocabularyOf(scheme)?.title[lang] ?? scheme)} (${scheme})`).join(lang === 'nb' ? ' eller ' : ' or ');
    let hint = {
      nb: `Den er ikke et begrep i ${schemes.length > 1 ? 'vokabularene' : 'vokabularet'} ${names('nb', (n) => `«${n}»`)}.`,
      en: `It is not a concept of the ${schemes.length > 1 ? 'vocabularies' : 'vocabulary'} ${names('en', (n) => `"${n}"`)}.`,
    };
    const nearest =
      value.termType === 'NamedNode' && this.hints++ < MAX_HINTS ? schemes.map((scheme) => v.nearest(value.value, scheme)).find((c) => c) : undefined;
    if (nearest) {
      const label = (lang: 'nb' | 'en') => v.label(nearest.iri, lang);
      hint = {
        nb: `${hint.nb} Mente du <${nearest.iri}>${label('nb') ? ` (${label('nb')})` : ''}?`,
        en: `${hint.en} Did you mean <${nearest.iri}>${label('en') ? ` (${label('en')})` : ''}?`,
      };
    }
    return hint;
  }
}

/**
 * The vocabularies a constraint asks for: its vocabulary shapes (sh:node kv:...), and those of
 * member shapes that say only that (sh:or ( [ sh:node kv:DataTheme ] [ sh:node kv:Los ] )).
 */
function vocabularySchemes(constraint: Constraint): string[] {
  return (constraint.shapes ?? []).flatMap((shape) => {
    if (shape.vocabularyScheme) return [shape.vocabularyScheme];
    const only = shape.constraints.length === 1 && !shape.path ? shape.constraints[0]! : undefined;
    return only?.component === 'NodeConstraintComponent' ? (only.shapes ?? []).flatMap((s) => (s.vocabularyScheme ? [s.vocabularyScheme] : [])) : [];
  });
}
