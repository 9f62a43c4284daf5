import type { Context } from 'aws-lambda';
import { logger } from '../../shared/log';
import { refreshShortlists } from '../../shared/domain/shortlist-refresh';
import { withOriginalStack } from '../../shared/stack-trace';

/** What the local host runs every few seconds: one refresh, bounded like an invocation. */
export async function tick() {
  const result = await refreshShortlists(new Date(), { deadline: Date.now() + 60_000 });
  if (result.due > 0) logger.info('shortlists refreshed', { ...result });
  return result;
}

/** In AWS, started every five minutes by EventBridge; stops in time for the next run (the rest stay due). */
export const handler = withOriginalStack(async (_event: unknown, context: Context) => {
  const result = await refreshShortlists(new Date(), { deadline: Date.now() + context.getRemainingTimeInMillis() - 30_000 });
  logger.info('shortlists refreshed', { ...result });
  return result;
});
