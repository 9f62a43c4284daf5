import { catalogOverview } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/catalog-list';

export const handler = httpHandler(route.listCatalog, async () => ({
  body: await catalogOverview(),
  headers: { 'cache-control': 'public, max-age=60' },
}));
