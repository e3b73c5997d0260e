/**
 * SHACL 4.4, string-based constraint components: sh:minLength, sh:maxLength, sh:pattern (with
 * sh:flags), sh:languageIn, sh:uniqueLang. Blank nodes fail the length and pattern checks, as
 * SHACL says; lengths count characters (code points), as SPARQL's STRLEN does.
 */
import type { Term } from '@rdfjs/types';
import { type Constraint, type ConstraintComponent, count, eachValue, isTrue, perParameterValue, single } from './component.js';

function length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** sh:minLength or sh:maxLength: the value's length in characters against the bound. */
function lengthBound(parameter: 'minLength' | 'maxLength'): ConstraintComponent {
  const min = parameter === 'minLength';
  return {
    parameters: [parameter],
    compile: (context) =>
      perParameterValue(context, parameter, (value) => {
        const n = count(context, value, parameter);
        return eachValue(
          min ? 'MinLengthConstraintComponent' : 'MaxLengthConstraintComponent',
          min
            ? { nb: `verdien skal ha minst ${n} tegn`, en: `the value must have at least ${n} characters` }
            : { nb: `verdien skal ha høyst ${n} tegn`, en: `the value must have at most ${n} characters` },
          (v) => v.termType !== 'BlankNode' && (min ? length(v.value) >= n : length(v.value) <= n),
        );
      }),
  };
}

export const minLengthComponent = lengthBound('minLength');
export const maxLengthComponent = lengthBound('maxLength');

export const patternComponent: ConstraintComponent = {
  parameters: ['pattern'],
  optional: ['flags'],
  compile(context) {
    const flags = (context.values('flags')[0]?.value ?? '').replace(/[^ims]/g, '');
    return perParameterValue(context, 'pattern', (pattern) => {
      let regex: RegExp;
      try {
        regex = new RegExp(pattern.value, flags);
      } catch (error) {
        throw context.error(`sh:pattern ${JSON.stringify(pattern.value)} is not a regular expression: ${(error as Error).message}`);
      }
      return eachValue(
        'PatternConstraintComponent',
        { nb: `verdien skal passe mønsteret ${pattern.value}`, en: `the value must match the pattern ${pattern.value}` },
        (v) => v.termType !== 'BlankNode' && regex.test(v.value),
      );
    });
  },
};

/** SPARQL's langMatches with basic filtering: `*` matches any tag, a range matches itself and its subtags. */
function languageMatches(language: string, ranges: string[]): boolean {
  const lang = language.toLowerCase();
  return ranges.some((r) => (r === '*' ? lang !== '' : lang === r || lang.startsWith(r + '-')));
}

export const languageInComponent: ConstraintComponent = {
  parameters: ['languageIn'],
  compile(context) {
    const ranges = context.graph.list(single(context, 'languageIn')).map((t) => t.value.toLowerCase());
    return [
      eachValue(
        'LanguageInConstraintComponent',
        { nb: `språkkoden skal være en av ${ranges.join(', ')}`, en: `the language tag must be one of ${ranges.join(', ')}` },
        (v) => v.termType === 'Literal' && v.language !== '' && languageMatches(v.language, ranges),
      ),
    ];
  },
};

export const uniqueLangComponent: ConstraintComponent = {
  parameters: ['uniqueLang'],
  compile(context) {
    if (!context.isProperty) throw context.error('sh:uniqueLang needs a property shape (one with sh:path)');
    if (!isTrue(single(context, 'uniqueLang'))) return [];
    const constraint: Constraint = {
      component: 'UniqueLangConstraintComponent',
      words: { nb: 'høyst én verdi per språk', en: 'at most one value per language' },
      check(run, shape, focus, values: Term[]) {
        const seen = new Map<string, number>();
        for (const v of values) {
          if (v.termType !== 'Literal' || v.language === '') continue;
          const lang = v.language.toLowerCase();
          const n = (seen.get(lang) ?? 0) + 1;
          seen.set(lang, n);
          // One result per language used more than once.
          if (n === 2) run.fail(shape, focus, constraint);
          if (run.stopped) return;
        }
      },
    };
    return [constraint];
  },
};
