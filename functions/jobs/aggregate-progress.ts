import type { Context } from 'aws-lambda';
import { logger } from '../../shared/log';
import { putAggregationMetrics } from '../../shared/metrics';
import { runAggregation } from '../../shared/progress/aggregator';
import { withOriginalStack } from '../../shared/stack-trace';

/** One catch-up pass: what the local host runs every few seconds. */
export async function tick(deadline?: number) {
  const result = await runAggregation(deadline === undefined ? {} : { deadline });
  if (result.records > 0) logger.info('aggregation', { ...result });
  return result;
}

const IDLE_POLL_MS = 5000;

/**
 * In AWS, started every minute by EventBridge. It keeps polling for most of the minute, so
 * a new qualification reaches the progress figures within seconds without DynamoDB
 * Streams (which the embedded DynamoDB does not have: one method for both). No batch
 * starts after the deadline, well inside the timeout; the leases in the aggregator keep
 * one process per runner when invocations overlap, and its runners work in parallel.
 */
export const handler = withOriginalStack(async (_event: unknown, context: Context) => {
  const deadline = Date.now() + Math.min(50_000, context.getRemainingTimeInMillis() - 8_000);
  let records = 0;
  while (Date.now() < deadline) {
    const result = await tick(deadline);
    if (!result.leaseHeld) break;
    // Per pass, so the pending-age and stalled-aggregation alarms see each minute (infra/constructs/alarms.ts).
    putAggregationMetrics(result);
    records += result.records;
    if (result.records === 0) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
  }
  return { records };
});
