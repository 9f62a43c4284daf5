import { catalogRole } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/catalog-role';

export const handler = httpHandler(route.getCatalogRole, async ({ params }) => ({
  body: await catalogRole(params.version, params.roleId),
  headers: { 'cache-control': 'public, max-age=3600' },
}));
