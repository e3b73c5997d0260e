/**
 * npm run bench [-- NAME...]: runs the benchmarks and prints one table of ratios against references
 * measured in the same run, then writes it to bench/results/latest.json. Timings are medians of
 * repeated runs; the ratios are what the targets in docs/design.md, Performance targets, speak of.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { prepareDocument } from '../src/catalog/ingest.js';
import { assembleDocument } from '../src/core/documents.js';
import { formatById } from '../src/core/media-types.js';
import { parseRdf } from '../src/core/parse.js';
import type { Representations } from '../src/core/serialize/representations.js';
import { generateCatalogues } from './generate.js';
import { jsonldCompact, n3Serialise, type Row, time } from './measure.js';
import { validationBenchmarks } from './validation.js';
import { feedBenchmarks } from './feed.js';
import { pageBenchmarks } from './pages.js';
import { qualityBenchmarks } from './quality.js';
import { harvestBenchmarks } from './harvest.js';
import { postgresBenchmarks } from './postgres.js';
import { searchBenchmarks } from './search.js';
import { tokenBenchmarks, writeBenchmarks } from './writes.js';

const BASE = 'http://localhost:3000';

async function corpus(datasets: number): Promise<{ quads: Quad[]; parts: Representations[] }> {
  const quads: Quad[] = [];
  const parts: Representations[] = [];
  for (const { organisation, turtle } of generateCatalogues(datasets)) {
    const parsed = await parseRdf(turtle, 'turtle', { baseIRI: BASE + '/' });
    quads.push(...parsed);
    parts.push(...prepareDocument(parsed, BASE, organisation).records);
  }
  return { quads, parts };
}

async function assemble(format: 'turtle' | 'ntriples' | 'jsonld', parts: Representations[]): Promise<number> {
  let bytes = 0;
  for await (const piece of assembleDocument(formatById(format), parts)) bytes += Buffer.byteLength(piece);
  return bytes;
}

const benchmarks: Record<string, () => Promise<Row[]>> = {
  ...validationBenchmarks,
  ...writeBenchmarks,
  ...tokenBenchmarks,
  ...harvestBenchmarks,
  ...postgresBenchmarks,
  ...searchBenchmarks,
  ...feedBenchmarks,
  ...pageBenchmarks,
  ...qualityBenchmarks,
  /** Whole-catalogue serialisation from stored representations vs n3's Writer on the same graph. */
  async serialisation() {
    const { quads, parts } = await corpus(10_000);
    const rows: Row[] = [];
    for (const [format, n3format, target] of [
      ['turtle', 'Turtle', '>= 5'],
      ['ntriples', 'N-Triples', '>= 5'],
    ] as const) {
      const ours = await time(5, () => assemble(format, parts));
      const reference = await time(3, () => n3Serialise(quads, n3format));
      rows.push({
        benchmark: `catalogue of 10,000 datasets (${quads.length} triples) as ${format}`,
        ours: `${ours.toFixed(1)} ms`,
        reference: `n3 Writer ${reference.toFixed(1)} ms`,
        ratio: reference / ours,
        target,
      });
    }
    return rows;
  },

  /** JSON-LD from stored node objects vs jsonld.js fromRDF + compact with the same context. */
  async jsonld() {
    const { quads, parts } = await corpus(1_000);
    const ours = await time(5, () => assemble('jsonld', parts));
    const reference = await time(1, () => jsonldCompact(quads));
    return [
      {
        benchmark: `catalogue of 1,000 datasets (${quads.length} triples) as JSON-LD`,
        ours: `${ours.toFixed(1)} ms`,
        reference: `jsonld.js ${reference.toFixed(0)} ms`,
        ratio: reference / ours,
        target: '>= 10',
      },
    ];
  },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length > 0 ? wanted : Object.keys(benchmarks);
  const rows: Array<Row & { group: string }> = [];
  for (const name of names) {
    const bench = benchmarks[name];
    if (!bench) throw new Error(`no benchmark ${name}; there are: ${Object.keys(benchmarks).join(', ')}`);
    console.error(`running ${name} ...`);
    rows.push(...(await bench()).map((row) => ({ ...row, group: name })));
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`\nKatalog benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}\n`);
  console.log('| benchmark | ours | reference | ratio | target |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.benchmark} | ${r.ours} | ${r.reference} | ${r.ratio.toFixed(1)}× | ${r.target ?? ''} |`);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  // Running some benchmarks keeps the latest rows of the others, each with the date it was measured.
  const file = join(dir, 'latest.json');
  const earlier = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { rows?: Array<Row & { group?: string; date?: string }> }).rows ?? []) : [];
  const date = new Date().toISOString();
  const kept = earlier.filter((row) => row.group !== undefined && !names.includes(row.group));
  writeFileSync(file, JSON.stringify({ date, machine, rows: [...kept, ...rows.map((row) => ({ ...row, date }))] }, null, 2) + '\n');
}

await main();
