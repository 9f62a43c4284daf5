import { completeRebuildIfDone } from '../../shared/domain/rebuild';
import { withOriginalStack } from '../../shared/stack-trace';

/** In AWS, after the Distributed Map: marks the rebuild done once every segment is. */
export const handler = withOriginalStack(async (input: { rebuildId: string }) => ({
  rebuildId: input.rebuildId,
  done: await completeRebuildIfDone(input.rebuildId, new Date()),
}));
