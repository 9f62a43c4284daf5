import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { logger } from '../../shared/log';
import { withOriginalStack } from '../../shared/stack-trace';

/** Runs after each deploy (a CDK Trigger): installs the shipped catalog versions. */
export const handler = withOriginalStack(async () => {
  const { installed } = await seedBundledCatalog(new Date());
  logger.info('catalog seeded', { installed });
  return { installed };
});
