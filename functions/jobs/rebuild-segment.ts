import type { Context } from 'aws-lambda';
import { logger } from '../../shared/log';
import { resumeCurrentRebuild, runRebuildSegment, startRebuild } from '../../shared/domain/rebuild';
import { withOriginalStack } from '../../shared/stack-trace';

/**
 * The local host's tick: starts a rebuild when what the derivation depends on changed (a
 * catalog installed or made current, a counting rule shipped) and carries on with the
 * current one. In AWS the catalog routes and the deploy trigger start it instead.
 */
export async function tick() {
  await startRebuild('the catalogs or counting rules changed', new Date());
  const { rebuildId } = await resumeCurrentRebuild();
  if (rebuildId) logger.info('rebuild ran', { rebuildId });
  return { rebuildId };
}

/** In AWS, one item of the Distributed Map: works on a segment until done or close to its timeout (the state machine loops). */
export const handler = withOriginalStack(async (input: { rebuildId: string; segment: number }, context: Context) => {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - 60_000;
  const { done } = await runRebuildSegment(input.rebuildId, input.segment, { deadline });
  return { ...input, done };
});
