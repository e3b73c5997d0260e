/**
 * A validation report as a page shows it (docs/pages.md, The validator page): the JSON report of
 * POST /validate grouped by record (and by node outside any record), each group's results ordered
 * by property (violations first), and at most MAX_SHOWN results in all (violations chosen first across every group), so that a report of a thousand results is still
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
  /** About how many bytes the view holds (for caches). */
  size: number;
}

const SEVERITY_ORDER: Record<string, number> = { Violation: 0, Warning: 1, Info: 2 };

export function reportView(report: unknown, max = MAX_SHOWN): ReportView {
  const json = report as ReportJson;
  const all = [
    ...json.records.map((r) => ({ name: r.record, profile: r.profile, conforms: r.conforms, results: r.results })),
    ...(json.unattached ?? []).map((n) => ({ name: n.node, profile: n.profile, conforms: n.conforms, results: n.results })),
  ];
  // The room goes to violations first, across every group, then warnings, then info: what must be
  // fixed is never what is cut.
  const chosen = new Set<ResultJson>();
  for (const severity of [0, 1, 2, 3]) {
    for (const group of all) {
      for (const result of group.results) {
        if (chosen.size >= max) break;
        if ((SEVERITY_ORDER[result.severity] ?? 3) === severity) chosen.add(result);
      }
    }
  }
  let omitted = json.truncated ?? 0;
  let size = 0;
  const groups: ReportView['groups'] = [];
  for (const group of all) {
    const shown = group.results
      .filter((r) => chosen.has(r))
      .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) || (a.path ?? '').localeCompare(b.path ?? ''))
      .map((r) => ({ ...r, ...(r.value !== undefined ? { value: clip(r.value) } : {}) }));
    omitted += group.results.length - shown.length;
    // A group is shown when it has results shown, or says it has none (at most MAX_GROUPS of those).
    if (shown.length > 0 || (group.results.length === 0 && groups.length < MAX_GROUPS)) {
      groups.push({ ...group, name: clip(group.name), results: shown });
      size += group.name.length + shown.reduce((n, r) => n + r.message.length + (r.value?.length ?? 0) + 200, 0);
    }
  }
  return { conforms: json.conforms, counts: json.counts, groups, omitted, size };
}

/** A value or a node's name as a report shows it: at most MAX_QUOTED characters. */
const clip = (text: string) => (text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
const MAX_QUOTED = 200;
