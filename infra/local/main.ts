import { seedBundledCatalog } from '../../shared/domain/catalog-seed';
import { routeList } from '../../shared/http/routes';
import { prepareLocalEnvironment, readLocalSettings } from './environment';
import { createInvoker } from './invoke';
import { loadHandler } from './load-handler';
import { pageServer } from './page';
import { buildPage } from '../page/build';
import { stopLocalQueues } from './queues';
import { startScheduler } from './scheduler';
import { startHttpServer } from './server';

/**
 * `npm start`: the API on localhost, on an embedded DynamoDB kept under .data/, served by
 * the same handlers Lambda runs. `npm start -- --memory` keeps nothing.
 */
async function main() {
  const settings = readLocalSettings(process.argv.slice(2), process.env);
  const environment = await prepareLocalEnvironment(settings);
  await seedBundledCatalog(new Date());

  // The progress page, bundled at start (as CloudFront serves it from its bucket in AWS).
  const server = await startHttpServer(settings.port, createInvoker(routeList, loadHandler), pageServer(await buildPage()));
  const stopScheduler = startScheduler();
  const store = settings.externalEndpoint
    ? `DynamoDB at ${settings.externalEndpoint}`
    : settings.memory
      ? 'in memory (not kept)'
      : `${settings.dataDir}/dynamodb`;
  console.error(`kanryu local host on http://localhost:${settings.port}`);
  console.error(`  progress page: http://localhost:${settings.port}/  (API under /v1)`);
  console.error(`  data: ${store}, table ${environment.tableName}${environment.endpoint ? `, endpoint ${environment.endpoint}` : ''}`);
  console.error('  a token: npm run token -- --role admin --sub demo-admin');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.error('stopping…');
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stopScheduler();
    await stopLocalQueues();
    await environment.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
