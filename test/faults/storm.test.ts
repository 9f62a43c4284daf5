import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCompletionsOfLearner } from '../../shared/data/completions';
import { pendingRecordKeys } from '../../shared/data/aggregation';
import { qualificationsOfLearner } from '../../shared/data/qualifications';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { call } from '../support/api';
import * as fixtures from '../support/fixtures';
import { randomFaults, startFaultProxy, type FaultProxy } from './fault-proxy';

/**
 * Faults between the handlers and DynamoDB. The proxy goes in before the first DynamoDB
 * call (the data client reads its endpoint once, on first use), so every DynamoDB call of
 * the handlers and of the aggregation passes through it.
 */
const proxy: FaultProxy = await startFaultProxy(process.env.DYNAMODB_ENDPOINT!);
process.env.DYNAMODB_ENDPOINT = proxy.url;

type Answer = Awaited<ReturnType<typeof call>>;

const unexpected: string[] = [];

/** A client that retries what the API says is retryable (503, or 409 for a request still in progress). */
async function untilDone(label: string, send: () => Promise<Answer>): Promise<Answer> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await send();
    seen.push(`${answer.status}:${answer.json?.detail?.slice(0, 40) ?? ''}`);
    if (answer.status < 300) return answer;
    if (answer.status === 503 || (answer.status === 409 && /still being processed|changed meanwhile/.test(answer.json?.detail ?? ''))) {
      expect(answer.headers['content-type']).toBe('application/problem+json');
      // Exponential backoff, as a client should: the SDK's own retry budget drains in a storm.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** Math.min(attempt, 6))));
      continue;
    }
    unexpected.push(`${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
    return answer;
  }
  unexpected.push(`${label}: never completed: ${seen.join(' | ')}`);
  throw new Error(`${label} never completed: ${seen.join(' | ')}`);
}

async function aggregateUntilCaughtUp() {
  for (let i = 0; i < 200 && (await pendingRecordKeys(1)).length > 0; i++) {
    await runAggregation().catch(() => undefined);
  }
}

let provider: string;
let certification: string;
let ordinary: string;
const learners = Array.from({ length: 10 }, (_, i) => `storm-${i}`);
const tokens = new Map<string, string>();

beforeAll(async () => {
  await fixtures.seedCatalog();
  provider = await fixtures.providerToken('prov-storm');
  certification = await fixtures.registerCourse(provider, { certification: true, title: 'Storm certification' });
  ordinary = await fixtures.registerCourse(provider, { title: 'Storm ordinary' });
  for (const id of learners) tokens.set(id, await fixtures.createLearner(id, { workPrefectures: ['31'] }, { linkProviders: ['prov-storm'] }));
}, 120_000);

afterAll(async () => {
  await proxy.close();
});

describe('a storm of throttling, 500s, timeouts and dropped connections', () => {
  it('completes or fails cleanly, never duplicates, and ends equal to the recount', async () => {
    proxy.setPolicy(randomFaults(7, 0.2, ['throttle', 'throttle', 'error500', 'drop-after-write', 'drop-after-write', 'drop-after-write', 'timeout']));
    const work: (() => Promise<unknown>)[] = [];
    for (const [i, id] of learners.entries()) {
      const token = tokens.get(id)!;
      const selfReport = { courseId: ordinary, completedOn: '2025-06-01', evidence: { certificateNumber: `S-${i}` } };
      // The same self-report three times (one with a key retried twice), the provider's
      // verification twice, the certification reported by the provider for even learners.
      work.push(() => untilDone(`self ${id}`, () => call('POST', '/v1/completions', { token, body: selfReport })));
      work.push(() =>
        untilDone(`self+key ${id}`, () => call('POST', '/v1/completions', { token, body: selfReport, headers: { 'idempotency-key': `storm-self-${id}` } })),
      );
      work.push(() =>
        untilDone(`self+key again ${id}`, () =>
          call('POST', '/v1/completions', { token, body: selfReport, headers: { 'idempotency-key': `storm-self-${id}` } }),
        ),
      );
      work.push(() =>
        untilDone(`verify ${id}`, () =>
          call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: ordinary, completedOn: '2025-06-01' } }),
        ),
      );
      if (i % 2 === 0) {
        const cert = { learnerId: id, courseId: certification, completedOn: '2025-07-01' };
        work.push(() =>
          untilDone(`cert ${id}`, () => call('POST', '/v1/completions', { token: provider, body: cert, headers: { 'idempotency-key': `storm-cert-${id}` } })),
        );
        work.push(() => untilDone(`cert dup ${id}`, () => call('POST', '/v1/completions', { token: provider, body: cert })));
      }
      work.push(() => runAggregation().catch(() => undefined));
    }
    // Eight clients at a time, in a fixed shuffled order.
    const order = work
      .map((w, i) => ({ w, k: (i * 7919) % work.length }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.w);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < order.length) await order[next++]!();
      }),
    );
    expect(proxy.counts.throttle + proxy.counts.error500 + proxy.counts['drop-after-write'] + proxy.counts.timeout).toBeGreaterThan(20);

    proxy.setPolicy(() => 'pass');
    await aggregateUntilCaughtUp();
    expect(unexpected).toEqual([]);

    for (const [i, id] of learners.entries()) {
      const completions = await allCompletionsOfLearner(id);
      expect(completions.map((c) => `${c.courseId === certification ? 'cert' : 'ordinary'}:${c.status}`).sort(), id).toEqual(
        i % 2 === 0 ? ['cert:verified', 'ordinary:verified'] : ['ordinary:verified'],
      );
      expect((await qualificationsOfLearner(id)).length, id).toBe(i % 2 === 0 ? 1 : 0);
    }
    expect((await recount()).differences).toEqual([]);
  }, 240_000);
});
