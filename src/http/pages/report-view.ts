/**
 * A validation report as a page shows it (docs/pages.md, The validator page): the JSON report of
 * POST /validate grouped by record (and by node outside any record), each group's results ordered
 * by property, and at most MAX_SHOWN results in all, so that a report of a thousand results is still
 * a page a person can read (and under 100 KB); the rest are counted, and POST /validate has them all.
 */

export const MAX_SHOWN = 100;
/** Groups (records) shown at most: a document of a thousand records still makes a page a person can read. */
const MAX_GROUPS = 50;

interface ResultJson {
  path?: string;
  severity: string;
  message: string;
  value?: string;
  constraint: string;
  sourceShape?: string;
}

interface ReportJson {
  conforms: boolean;
  counts: { violations: number; warnings: number; info: number };
  records: Array<{ record: string; profile: string; conforms: boolean; results: ResultJson[] }>;
  unattached?: Array<{ node: string; profile: string; conforms: boolean; results: ResultJson[] }>;
  truncated?: number;
}

export interface ReportView {
  conforms: boolean;
  counts: ReportJson['counts'];
  groups: Array<{ name: string; profile: string; conforms: boolean; results: ResultJson[] }>;
  /** Results not shown: beyond MAX_SHOWN here, or left out of the report itself. */
  omitted: number;
}

const SEVERITY_ORDER: Record<string, number> = { Violation: 0, Warning: 1, Info: 2 };

export function reportView(report: unknown, max = MAX_SHOWN): ReportView {
  const json = report as ReportJson;
  const all = [
    ...json.records.map((r) => ({ name: r.record, profile: r.profile, conforms: r.conforms, results: r.results })),
    ...(json.unattached ?? []).map((n) => ({ name: n.node, profile: n.profile, conforms: n.conforms, results: n.results })),
  ];
  let left = max;
  let omitted = json.truncated ?? 0;
  const groups: ReportView['groups'] = [];
  for (const group of all) {
    // Violations first, then by property, so that what must be fixed is never what is cut.
    const sorted = [...group.results].sort(
      (a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) || (a.path ?? '').localeCompare(b.path ?? ''),
    );
    const shown = sorted.slice(0, Math.max(0, left));
    left -= shown.length;
    omitted += sorted.length - shown.length;
    // A group is shown while there is room: with results, or saying it has none (at most MAX_GROUPS).
    if (shown.length > 0 || (sorted.length === 0 && groups.length < MAX_GROUPS)) groups.push({ ...group, results: shown });
  }
  return { conforms: json.conforms, counts: json.counts, groups, omitted };
}
