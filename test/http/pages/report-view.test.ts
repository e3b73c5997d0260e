import { describe, expect, it } from 'vitest';
import { shapeLink } from '../../../src/http/pages/page-renderer.js';
import { reportView } from '../../../src/http/pages/report-view.js';

const result = (severity: string, path: string) => ({ severity, path, message: `${severity} ${path}`, constraint: 'sh:MinCountConstraintComponent' });

describe('a report as a page shows it', () => {
  it('gives its room to violations first, across every record, and counts what it leaves out', () => {
    const report = {
      conforms: false,
      counts: { violations: 1, warnings: 100, info: 0 },
      records: [
        { record: 'http://x.test/a', profile: 'dcat-ap-no', conforms: true, results: Array.from({ length: 100 }, (_, i) => result('Warning', `p${i}`)) },
        { record: 'http://x.test/b', profile: 'dcat-ap-no', conforms: false, results: [result('Violation', 'dct:title')] },
      ],
    };
    const view = reportView(report, 100);
    const shown = view.groups.flatMap((g) => g.results);
    expect(shown).toHaveLength(100);
    expect(shown.filter((r) => r.severity === 'Violation')).toHaveLength(1);
    expect(view.omitted).toBe(1);
  });

  it("links a result to its shape's page, and a note of Katalog's own to the profile", () => {
    expect(shapeLink('dcat-ap-no', 'https://data.norge.no/katalog/shapes/dcat-ap-no#DatasetShape')).toBe(
      '/profiles/dcat-ap-no?shape=DatasetShape#shape-DatasetShape',
    );
    expect(shapeLink('dcat-ap-no', 'urn:katalog:profile:dcat-ap-no')).toBe('/profiles/dcat-ap-no');
  });
});
