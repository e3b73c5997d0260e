import type { QualityReport } from '../../catalog/quality.js';
import type { PageLanguage } from '../../catalog/property-labels.js';

/**
 * What a dataset's page shows of its quality score (docs/pages.md, docs/quality.md): the score of
 * the measured points, the rating, each dimension, and every metric not earned in full with how to
 * earn it, in the page's language (nynorsk readers get the bokmål texts).
 */
export interface QualityView {
  score: number;
  measuredMax: number;
  max: number;
  rating: string;
  dimensions: Array<{ label: string; score: number; measuredMax: number; max: number }>;
  missed: Array<{ id: string; text: string; earn: string; score: number; points: number }>;
  notMeasured: Array<{ id: string; text: string }>;
  /** The report as Turtle and as JSON-LD. */
  links: { turtle: string; jsonld: string };
}

export function qualityView(report: QualityReport, lang: PageLanguage, path: string): QualityView {
  const textLang = lang === 'en' ? 'en' : 'nb';
  return {
    score: report.score,
    measuredMax: report.measuredMax,
    max: report.max,
    rating: report.ratingLabel[lang],
    dimensions: report.dimensions.map((d) => ({ label: d.label[lang], score: d.score, measuredMax: d.measuredMax, max: d.max })),
    missed: report.metrics
      .filter((m) => m.measured && m.score < m.points)
      .map((m) => ({ id: m.id, text: m.text[textLang], earn: m.earn?.[textLang] ?? '', score: m.score, points: m.points })),
    notMeasured: report.metrics.filter((m) => !m.measured).map((m) => ({ id: m.id, text: m.text[textLang] })),
    links: { turtle: `${path}/quality?format=ttl`, jsonld: `${path}/quality?format=jsonld` },
  };
}
