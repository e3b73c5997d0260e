/** One sample of Prometheus's text format: `name{label="value",...} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/;
const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;
const HISTOGRAM_PARTS = ['_bucket', '_sum', '_count'];

function labelsOf(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let rest = text; rest.length > 0;) {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`Not a label list: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(match[0].length);
  }
  return labels;
}

/** A value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case; prom-client writes `Nan`). */
function valueOf(text: string, line: string): number {
  if (/^nan$/i.test(text)) return NaN;
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`Not a sample value: ${line}`);
  return value;
}

/**
 * Parses Prometheus's text exposition format (version 0.0.4), strictly: every line is a HELP or
 * TYPE comment or a sample, and every sample belongs to a family that has both (a histogram's
 * `_bucket`, `_sum` and `_count` belong to the histogram). Throws on the first line that is not.
 */
export function parsePrometheus(text: string): Sample[] {
  const help = new Set<string>();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = COMMENT.exec(line);
    if (comment) {
      if (comment[1] === 'HELP') help.add(comment[2]!);
      else types.set(comment[2]!, comment[3]!);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`Not a sample: ${line}`);
    const name = match[1]!;
    const family = types.has(name) ? name : HISTOGRAM_PARTS.filter((p) => name.endsWith(p)).map((p) => name.slice(0, -p.length))[0];
    if (family === undefined || !types.has(family) || !help.has(family)) throw new Error(`A sample of no declared family: ${line}`);
    samples.push({ name, labels: labelsOf(match[2] ?? '', line), value: valueOf(match[3]!, line) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there are none). */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}
