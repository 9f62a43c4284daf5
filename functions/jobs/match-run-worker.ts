import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { failRequestedRun } from '../../shared/data/matching';
import { cycleIdOfMessage } from '../../shared/domain/match-cycle-run';
import { computeRequestedRun, type MatchRunMessage } from '../../shared/domain/match-runs';
import { jobs } from '../../shared/jobs';
import { logger } from '../../shared/log';
import { withOriginalStack } from '../../shared/stack-trace';
import { giveUpCycleStep, runCycle } from '../../shared/workflows/match-cycle';

const { maxReceives } = jobs.matchRunWorker.trigger;

function runIdOf(body: string): string | undefined {
  try {
    const { runId } = JSON.parse(body) as Partial<MatchRunMessage>;
    return typeof runId === 'string' && /^run_[a-f0-9]{20}$/.test(runId) ? runId : undefined;
  } catch {
    return undefined;
  }
}

/** A matching cycle's run (shared/workflows/match-cycle.ts: a national one through the workflow): the same retries, and on the last delivery the cycle is given back. */
async function runCycleMessage(cycleId: string, lastDelivery: boolean): Promise<'done' | 'retry'> {
  try {
    return (await runCycle(cycleId, new Date())) === 'busy' ? 'retry' : 'done';
  } catch (error) {
    // Only the error's kind: its text can name people (the solver's names learner ids).
    logger.error('match cycle run failed', { cycleId, lastDelivery, errorKind: error instanceof Error ? error.name : 'unknown' });
    if (!lastDelivery) return 'retry';
    await giveUpCycleStep(cycleId);
    return 'done';
  }
}

/**
 * One requested round per message (batch size 1). A round another delivery is computing,
 * or one that failed, comes back later; on its last delivery a failure is recorded on the
 * run, so the center sees `failed` and why instead of a round computing for ever.
 */
export const handler = withOriginalStack(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const cycleId = cycleIdOfMessage(record.body);
    if (cycleId) {
      if ((await runCycleMessage(cycleId, Number(record.attributes.ApproximateReceiveCount) >= maxReceives)) === 'retry')
        batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const runId = runIdOf(record.body);
    if (!runId) {
      logger.error('match-run queue message malformed', { messageId: record.messageId });
      continue;
    }
    const lastDelivery = Number(record.attributes.ApproximateReceiveCount) >= maxReceives;
    try {
      if ((await computeRequestedRun(runId, new Date())) === 'busy') batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error('unknown error');
      logger.error('match run failed', { runId, lastDelivery, error: { name, message } });
      if (lastDelivery) await failRequestedRun(runId, `${name}: ${message}`.slice(0, 300));
      else batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
