/**
 * Hostile load: many distinct bodies (memory must not grow per request), several heavy but allowed
 * validations at once (the server must stay responsive), a client over the validation rate limit
 * (429), and a validation over the work budget (503, and the next request still works).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataset, manyDatasets, TURTLE, values } from './bodies.js';
import { CASE_TIMEOUT, describeReply, probeWhile, rssMb, runCase, send, storeMark, useKatalog, watchMemory } from './harness.js';

const katalog = useKatalog();
const rateLimited = useKatalog({ VALIDATE_RATE_LIMIT: '5' }, { warmUp: false });
const budgeted = useKatalog({ WORK_BUDGET_MS: '50' });

/** A dataset of about 200 KB whose 1,900 keywords no other body shares. */
function distinctBody(n: number): string {
  const salt = randomBytes(8).toString('hex');
  return dataset({
    subject: `<https://data.x.test/memory/${n}-${salt}>`,
    props: [values('dcat:keyword', 1_900, (i) => `"https://x.test/${salt}/${n}/${i}/${randomBytes(30).toString('hex')}"@nb`)],
  });
}

/** Sends `count` distinct bodies, `parallel` at a time; returns the statuses. */
async function sendDistinct(from: number, count: number, parallel: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = from; i < from + count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, from + count - i) }, (_, j) =>
      send(katalog.base, { contentType: TURTLE, accept: TURTLE, body: distinctBody(i + j) }),
    );
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  return statuses;
}

const small = () => ({ contentType: TURTLE, body: dataset() });

describe('hostile load: memory, responsiveness, rate and time budget', () => {
  it(
    'does not grow per request: 300 distinct 200 KB bodies leave RSS within 150 MB of where it was after 20',
    async () => {
      expect(distinctBody(0).length).toBeGreaterThan(190_000);
      const first = await sendDistinct(0, 20, 4);
      const afterFirst = rssMb(katalog.pid);
      const probed = await probeWhile(katalog.base, () => sendDistinct(20, 280, 4));
      const afterAll = rssMb(katalog.pid);
      console.log(
        `[hostile] RSS after 20: ${afterFirst.toFixed(0)} MB, after 300: ${afterAll.toFixed(0)} MB; 280 requests in ${Math.round(probed.elapsedMs)} ms, /health/live max ${Math.round(probed.maxLatencyMs)} ms`,
      );
      const statuses = [...first, ...probed.result];
      expect(
        statuses.filter((s) => s !== 200 && s !== 422),
        'statuses other than 200 and 422',
      ).toEqual([]);
      expect(katalog.alive()).toBe(true);
      expect(afterAll - afterFirst, `RSS grew from ${afterFirst.toFixed(0)} MB to ${afterAll.toFixed(0)} MB`).toBeLessThan(150);
    },
    CASE_TIMEOUT,
  );

  it(
    'keeps /health/live under 100 ms while 4 validations of 40,000 triples each run at once',
    async () => {
      const bodies = Array.from({ length: 4 }, () => manyDatasets(400, 90));
      const before = await storeMark(katalog.base);
      const memory = watchMemory(katalog.pid);
      const probed = await probeWhile(katalog.base, () => Promise.all(bodies.map((body) => send(katalog.base, { contentType: TURTLE, body }, 30_000))));
      const memoryMb = memory.stop();
      console.log(
        `[hostile] 4 x 40,000 triples: ${probed.result.map((r) => r.status).join(', ')} in ${Math.round(probed.elapsedMs)} ms, peak +${memoryMb.toFixed(1)} MB, /health/live max ${Math.round(probed.maxLatencyMs)} ms (${probed.probes} probes, test process lag ${Math.round(probed.harnessLagMs)} ms)`,
      );
      for (const r of probed.result) expect.soft(r.status, describeReply(r)).toBe(200);
      expect
        .soft(
          probed.maxLatencyMs,
          `/health/live took up to ${Math.round(probed.maxLatencyMs)} ms (the test process itself was blocked up to ${Math.round(probed.harnessLagMs)} ms)`,
        )
        .toBeLessThan(100);
      expect.soft(memoryMb, `peak memory grew by ${memoryMb.toFixed(1)} MB`).toBeLessThan(200);
      expect.soft(probed.elapsedMs, 'four allowed validations finish').toBeLessThan(20_000);
      expect(katalog.alive()).toBe(true);
      expect(await storeMark(katalog.base)).toEqual(before);
    },
    CASE_TIMEOUT,
  );

  it(
    'answers the 6th POST /validate within a minute from one client with 429 and Retry-After (VALIDATE_RATE_LIMIT=5)',
    async () => {
      const first = [];
      for (let i = 0; i < 5; i++) first.push(await send(rateLimited.base, small()));
      expect(first.filter((r) => r.status === 429).map(describeReply), 'none of the first 5 is refused').toEqual([]);
      await runCase(small(), {
        on: rateLimited,
        status: 429,
        kind: 'too-many-requests',
        check: (r) => expect(Number(r.headers['retry-after']), 'Retry-After in seconds').toBeGreaterThan(0),
      });
    },
    CASE_TIMEOUT,
  );

  it(
    'answers a validation of 45,000 triples over WORK_BUDGET_MS=50 with 503 budget-exceeded and Retry-After, and the next small one still works',
    async () => {
      await runCase(() => ({ contentType: TURTLE, body: manyDatasets(450, 90) }), {
        on: budgeted,
        status: 503,
        kind: 'budget-exceeded',
        check: (r) => expect(Number(r.headers['retry-after']), 'Retry-After in seconds').toBeGreaterThan(0),
      });
      await runCase(small(), { on: budgeted, status: 200, maxMs: 10_000 });
    },
    CASE_TIMEOUT,
  );
});
