import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { startRebuild } from '../../shared/domain/rebuild';
import { launchRebuild } from '../../shared/workflows/rebuild';
import { logger } from '../../shared/log';
import { withOriginalStack } from '../../shared/stack-trace';

/** Runs after each deploy (a CDK Trigger): installs the shipped catalog versions. */
export const handler = withOriginalStack(async () => {
  const now = new Date();
  const { installed } = await seedBundledCatalog(now);
  // A release may ship a catalog version or a counting rule: derive every learner again if so.
  const { rebuild, started } = await startRebuild('a release shipped catalog versions or counting rules', now);
  await launchRebuild(rebuild);
  logger.info('catalog seeded', { installed, rebuildId: rebuild.rebuildId, rebuildStarted: started });
  return { installed };
});
