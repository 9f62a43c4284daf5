import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { loadWorkflowConfig } from '../config';
import type { Rebuild } from '../data/rebuilds';
import { logger } from '../log';

/**
 * Runs a rebuild's segments where the deployment runs them: in AWS a Step Functions
 * execution (infra/constructs/rebuild.ts: a Distributed Map, one Lambda per segment);
 * on the local host nothing is started here, its scheduler picks the rebuild up
 * (functions/jobs/rebuild-segment.ts `tick`).
 */
let machine: { arn: string; sfn: SFNClient } | null | undefined;
function rebuildStateMachine() {
  if (machine === undefined) {
    const arn = loadWorkflowConfig(process.env).rebuildStateMachineArn;
    machine = arn ? { arn, sfn: new SFNClient({}) } : null;
  }
  return machine;
}

/** The input of the state machine: the rebuild and its segments (the Map's items). */
export const rebuildExecutionInput = (rebuild: Pick<Rebuild, 'rebuildId' | 'segments'>) => ({
  rebuildId: rebuild.rebuildId,
  segments: Array.from({ length: rebuild.segments }, (_, segment) => ({ rebuildId: rebuild.rebuildId, segment })),
});

/** Starts (or, with `attempt`, restarts) the execution; one per rebuild and attempt, whatever the retries. */
export async function launchRebuild(rebuild: Rebuild, attempt?: string): Promise<void> {
  const target = rebuildStateMachine();
  if (!target || rebuild.status !== 'running') return;
  try {
    await target.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: target.arn,
        name: attempt ? `${rebuild.rebuildId}-${attempt}` : rebuild.rebuildId,
        input: JSON.stringify(rebuildExecutionInput(rebuild)),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  logger.info('rebuild started', { rebuildId: rebuild.rebuildId, ...(attempt ? { attempt } : {}) });
}
