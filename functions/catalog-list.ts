import { catalogOverview } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.listCatalog, async () => ({
  body: await catalogOverview(),
  headers: { 'cache-control': 'public, max-age=60' },
}));
