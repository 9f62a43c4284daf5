import { performance } from 'node:perf_hooks';
import { prepareBenchEnvironment } from './lib/environment';
import type { SectionResult } from './lib/results';
import { Section, progress } from './lib/section';
import { count } from './lib/stats';
import { startThrottlingProxy } from './lib/throttling-proxy';

/**
 * How fast the aggregation drains a backlog with one runner and with several (issue 17,
 * item 3). dynalite answers in well under a millisecond and never throttles, so the
 * product's client talks to it through a proxy that adds a round trip per request and
 * refuses writes above DynamoDB's 1,000 WCU/s per partition key (lib/throttling-proxy.ts).
 * The same number of pending completions is drained once with 1 runner and once with 4;
 * each drain runs the product's aggregation job (runAggregation) until nothing is pending.
 */
const RECORDS = Number(process.env.BENCH_DRAIN_RECORDS ?? 100_000);
const PER_LEARNER = 4;
// A request's round trip from Lambda to DynamoDB (SDK, TLS, service time): a few to ten milliseconds.
const LATENCY_MS = 10;
const PARTITION_WCU = 1000;
const RUNNER_COUNTS = [1, 4];
const SEED_CONCURRENCY = 64;

export async function run(): Promise<SectionResult> {
  const section = new Section('drain', 'Aggregation drain: one runner and several, with network latency and partition throttling');
  // Every record marked and due at once: the drain measures the runners, not the hold.
  process.env.KANRYU_PROGRESS_HOLD_SECONDS = '0';
  const env = await prepareBenchEnvironment();
  const proxy = await startThrottlingProxy(env.endpoint, { latencyMs: LATENCY_MS, writeUnitsPerSecond: PARTITION_WCU });
  process.env.DYNAMODB_ENDPOINT = proxy.url;
  try {
    const { createCompletion } = await import('../shared/data/completions');
    const { pendingRecordKeys } = await import('../shared/data/aggregation');
    const { runAggregation } = await import('../shared/progress/aggregator');
    const { recount } = await import('../shared/progress/recount');
    const { forEachConcurrently } = await import('../shared/concurrency');

    const seed = async (label: string) => {
      const learners = Array.from({ length: RECORDS / PER_LEARNER }, (_, i) => `drain-${label}-${i}`);
      let done = 0;
      await forEachConcurrently(learners, SEED_CONCURRENCY, async (learnerId) => {
        for (let k = 0; k < PER_LEARNER; k++) {
          const completedOn = `2025-${String(5 + k).padStart(2, '0')}-${String(1 + (done % 28)).padStart(2, '0')}`;
          await createCompletion({
            completionId: `${completedOn}.crs_drain`,
            learnerId,
            courseId: 'crs_drain',
            providerId: 'prov-drain',
            completedOn,
            fiscalYear: 2025,
            prefecture: String(1 + (done % 47)).padStart(2, '0'),
            status: 'verified',
            reportedBy: 'provider',
            recordedAt: new Date().toISOString(),
            verifiedAt: new Date().toISOString(),
            version: 1,
          });
        }
        if (++done % 5000 === 0) progress(`seeded ${count(done * PER_LEARNER)} records (${label})`);
      });
    };

    const rows: string[][] = [];
    const seconds = new Map<number, number>();
    for (const runners of RUNNER_COUNTS) {
      progress(`seeding ${count(RECORDS)} pending completions for the ${runners}-runner drain`);
      await seed(`r${runners}`);
      const throttledBefore = proxy.throttled;
      const t0 = performance.now();
      let passes = 0;
      let failures = 0;
      let records = 0;
      while ((await pendingRecordKeys(1)).length > 0) {
        passes++;
        try {
          records += (await runAggregation({ runners })).records;
        } catch {
          // Retries exhausted under throttling: the job's next pass goes on, as the scheduled job would.
          failures++;
        }
        if (passes % 10 === 0) progress(`${runners} runner(s): ${count(records)} records counted`);
      }
      const elapsed = (performance.now() - t0) / 1000;
      seconds.set(runners, elapsed);
      rows.push([
        String(runners),
        count(records),
        elapsed.toFixed(1),
        count(Math.round(records / elapsed)),
        String(passes),
        String(failures),
        count(proxy.throttled - throttledBefore),
      ]);
    }
    const { differences } = await recount();
    const peaks = proxy.peakUnitsPerSecond();
    const speedup = seconds.get(1)! / seconds.get(4)!;

    section.method.push(
      `${count(RECORDS)} verified completions (${PER_LEARNER} per learner, prefectures and days spread, one course not in the catalog so derivation is light) written through the product's createCompletion, each with its pending mark; then the product's runAggregation({ runners }) in a loop until the pending index is empty, once with ${RUNNER_COUNTS.join(' and then ')} runners over the same number of fresh records. Every DynamoDB request goes through lib/throttling-proxy.ts: ${LATENCY_MS} ms added per request (a network round trip, which dynalite does not have) and a token bucket of ${PARTITION_WCU} WCU/s per partition key (DynamoDB's per-partition write limit), refusing writes over it with ProvisionedThroughputExceededException, which the SDK retries with backoff.`,
      'One machine: dynalite runs in its own process on the second core, so the runners overlap waiting, not computing; in AWS each runner waits on its own connections and the table scales per partition, so the gain there is at least this.',
    );
    section.figure(
      `Drain of ${count(RECORDS)} pending records: 1 runner vs 4`,
      `${seconds.get(1)!.toFixed(1)} s vs ${seconds.get(4)!.toFixed(1)} s (${speedup.toFixed(2)}×)`,
      {
        text: 'faster with several runners',
        within: speedup > 1.2,
      },
    );
    section.figure('Recount after both drains', differences.length === 0 ? 'no difference' : `${differences.length} differences`, {
      text: 'no difference',
      within: differences.length === 0,
    });
    section.figure(
      'Busiest partition key (most write units accepted in one second, both drains)',
      peaks[0] ? `${peaks[0].key}: ${peaks[0].units} WCU/s (limit ${PARTITION_WCU})` : 'none',
    );
    section.table('Drains', ['runners', 'records counted', 'seconds', 'records/s', 'passes', 'failed passes', 'writes refused (throttled)'], rows);
    section.table(
      'The ten busiest partition keys: most write units accepted within one second',
      ['partition key', 'WCU in its busiest second'],
      peaks.slice(0, 10).map((p) => [p.key, String(p.units)]),
    );
    section.notes.push(
      'What the keys show: the pending index is written through the records (its shards take one index write per record, spread over KANRYU_PENDING_SHARDS partitions, not shown here as they are index keys); the aggregate parts (`AGG#…`) take a write per part per batch, not per record; each runner has its own state partition (`AGG#RUNNER#…`).',
    );
    return section.finish();
  } finally {
    await proxy.close();
    await env.close();
  }
}
