/**
 * The quality score's cost (docs/quality.md): per dataset, against the validation it runs beside (the
 * same records, in this process), and in `katalog load` of BENCH_DATASETS generated datasets (default
 * 100,000), which must stay under 60 s with every dataset scored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { recordsOf } from '../src/catalog/record-pipeline.js';
import { assessRecord } from '../src/catalog/quality.js';
import { loadValidationResources } from '../src/catalog/resources.js';
import { validateRecord } from '../src/catalog/validator.js';
import { parseRdf } from '../src/core/parse.js';
import type { RecordGraph } from '../src/core/records.js';
import { generateCatalogues } from './generate.js';
import { loadGenerated, type Row, time } from './measure.js';

export const qualityBenchmarks: Record<string, () => Promise<Row[]>> = {
  async quality() {
    const resources = loadValidationResources();
    const records: RecordGraph[] = [];
    for (const { organisation, turtle } of generateCatalogues(10_000)) {
      const quads = await parseRdf(turtle, 'turtle', { baseIRI: 'http://localhost:3000/' });
      records.push(...recordsOf(quads, { labelPrefix: `b${organisation}` }).records.filter((r) => r.kind.kind === 'dataset'));
    }
    const profile = resources.profiles.defaultFor('dataset')!;
    const verdicts = records.map((r) => ({ profile: profile.info.id, results: validateRecord(r.quads, profile, resources).results }));
    const validation = await time(3, () => records.forEach((r) => validateRecord(r.quads, profile, resources)));
    const scoring = await time(3, () => records.forEach((r, i) => assessRecord('dataset', r.quads, r.root, resources, verdicts[i])));
    const rows: Row[] = [
      {
        benchmark: `quality score of ${records.length} datasets (the validation reused), per dataset`,
        ours: `${((scoring * 1000) / records.length).toFixed(1)} µs`,
        reference: `their validation against dcat-ap-no: ${((validation * 1000) / records.length).toFixed(1)} µs`,
        ratio: validation / scoring,
      },
    ];

    const datasets = Number(process.env.BENCH_DATASETS ?? 100_000);
    const dir = mkdtempSync(join(tmpdir(), 'katalog-bench-quality-'));
    try {
      const { db, loadSeconds } = loadGenerated(dir, datasets);
      const open = new Database(db, { readonly: true });
      const scored = (open.prepare("SELECT count(DISTINCT n) AS n FROM search_values WHERE field = 'qualityScore'").get() as { n: number }).n;
      open.close();
      if (scored !== datasets) throw new Error(`${scored} of ${datasets} datasets have a quality score after the load`);
      rows.push({
        benchmark: `katalog load of ${datasets} generated datasets, validation and quality scores included (${scored} scored)`,
        ours: `${loadSeconds.toFixed(1)} s`,
        reference: 'the budget, 60 s',
        ratio: 60 / loadSeconds,
        target: '>= 1',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
