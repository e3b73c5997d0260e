/**
 * The pool that works on request bodies (src/catalog/work-pool.ts): small non-JSON-LD bodies in
 * this thread, the rest in worker threads with the same outcome; a task over the time budget gets
 * 503 budget-exceeded and its worker is replaced; a full queue gets 503; a closed pool refuses.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bodySettings } from '../../src/app.js';
import { type BodyTask, type ValidationOutcome } from '../../src/catalog/body-work.js';
import { INLINE_BODY_CHARACTERS, InlineWork, WorkerPool } from '../../src/catalog/work-pool.js';
import { readConfig } from '../../src/config.js';
import { KatalogError } from '../../src/core/errors.js';
import { resources } from '../helpers/validation.js';

const settings = bodySettings(readConfig({ PUBLIC_BASE_URL: 'http://katalog.test' }));
const PREFIXES = '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n';

/** A Turtle document of `n` datasets without titles: every one of them violates dcat-ap-no. */
const datasets = (n: number) => PREFIXES + Array.from({ length: n }, (_, i) => `<http://x.test/d/${i}> a dcat:Dataset ; dct:identifier "${i}" .`).join('\n');

const validate = (body: string | Uint8Array, format: 'turtle' | 'jsonld' = 'turtle'): BodyTask => ({ task: 'validate', body, format, answer: 'json' });

const pools: WorkerPool[] = [];
function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[1]> = {}, inline?: InlineWork): WorkerPool {
  const made = new WorkerPool(settings, { size: 1, memoryMb: 256, budgetMs: 20_000, ...options }, inline);
  pools.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** The verdict and, from the JSON report, the counts and each record with its number of results. */
const summary = (outcome: unknown) => {
  const { conforms, json } = outcome as ValidationOutcome;
  const report = JSON.parse(json!) as { counts: unknown; records: Array<{ record: string; results: unknown[] }> };
  return { conforms, counts: report.counts, records: report.records.map((r) => [r.record, r.results.length]) };
};

describe('the work pool', () => {
  it('works on a small Turtle body in this thread, and on a large one in a worker, with the same outcome', async () => {
    const inline = new InlineWork(settings, resources());
    const run = vi.spyOn(inline, 'run');
    const work = pool({}, inline);
    await work.ready();

    const small = datasets(3);
    expect(small.length).toBeLessThanOrEqual(INLINE_BODY_CHARACTERS);
    const smallOutcome = await work.run(validate(small));
    expect(run).toHaveBeenCalledTimes(1);

    const large = datasets(400);
    expect(large.length).toBeGreaterThan(INLINE_BODY_CHARACTERS);
    const largeOutcome = await work.run(validate(large));
    expect(run).toHaveBeenCalledTimes(1);

    expect(summary(smallOutcome)).toEqual(summary(await inline.run(validate(small))));
    expect(summary(largeOutcome)).toEqual(summary(await inline.run(validate(large))));
    expect(summary(largeOutcome).records).toHaveLength(400);
  }, 60_000);

  it('moves a large body given as bytes to the worker without a copy, with the outcome of its text', async () => {
    const work = pool();
    const text = datasets(400);
    const bytes = new TextEncoder().encode(text);
    expect(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength).toBe(true);
    const outcome = await work.run(validate(bytes));
    // Transferred: the sender's buffer is detached.
    expect(bytes.byteLength).toBe(0);
    expect(summary(outcome)).toEqual(summary(await work.run(validate(text))));
    // Bytes that share their buffer are copied, and stay usable here.
    const shared = new Uint8Array(new TextEncoder().encode(`   ${text}`).buffer, 3);
    await work.run(validate(shared));
    expect(shared.byteLength).toBeGreaterThan(0);
  }, 60_000);

  it('reads bytes as UTF-8 and drops a byte order mark', async () => {
    const inline = new InlineWork(settings, resources());
    const text = `${PREFIXES}<http://x.test/d/æ> a dcat:Dataset ; dct:title "Blåbær"@nb .`;
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(summary(await inline.run(validate(withBom)))).toEqual(summary(await inline.run(validate(text))));
  });

  it('sends JSON-LD to a worker whatever its size', async () => {
    const inline = new InlineWork(settings, resources());
    const run = vi.spyOn(inline, 'run');
    const work = pool({}, inline);
    const body = JSON.stringify({ '@id': 'http://x.test/d/1', '@type': 'http://www.w3.org/ns/dcat#Dataset' });
    const outcome = await work.run(validate(body, 'jsonld'));
    expect(run).not.toHaveBeenCalled();
    expect(summary(outcome).records).toEqual([['http://x.test/d/1', expect.any(Number)]]);
  }, 60_000);

  it('answers a task over the time budget with 503 budget-exceeded and Retry-After, and replaces the worker', async () => {
    // A budget a tiny task fits even in a cold worker on a loaded machine, and 5,000 datasets (the most one request may describe) never do.
    const work = pool({ budgetMs: 250 });
    await work.ready();
    const error = await work.run(validate(datasets(5_000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KatalogError);
    expect(error).toMatchObject({ code: 'budget-exceeded', extensions: { retryAfter: expect.any(Number) } });
    // The replacement worker takes the next task (a tiny one fits the budget once it is ready).
    await work.ready();
    await expect(work.run(validate(datasets(1)))).resolves.toBeDefined();
  }, 60_000);

  it('refuses tasks past the queue limit with 503 budget-exceeded, and finishes those it took', async () => {
    const work = pool({ queueLimit: 2 });
    await work.ready();
    const body = datasets(200);
    // One task in the worker, two waiting: the fourth is one too many.
    const taken = [work.run(validate(body)), work.run(validate(body)), work.run(validate(body))];
    const refused = await work.run(validate(body)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'budget-exceeded' });
    for (const outcome of await Promise.all(taken)) expect(summary(outcome).records).toHaveLength(200);
  }, 60_000);

  it('refuses work once closed, and fails what was waiting', async () => {
    const work = pool();
    const waiting = [work.run(validate(datasets(200))), work.run(validate(datasets(200)))].map((p) => p.catch((e: unknown) => e));
    await work.close();
    const [, second] = await Promise.all(waiting);
    expect(second).toMatchObject({ code: 'store-unavailable' });
    await expect(work.run(validate(datasets(200)))).rejects.toMatchObject({ code: 'store-unavailable' });
  }, 60_000);
});
