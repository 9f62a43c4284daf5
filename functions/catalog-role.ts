import { catalogRole } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getCatalogRole, async ({ params }) => ({
  body: await catalogRole(params.version, params.roleId),
  headers: { 'cache-control': 'public, max-age=3600' },
}));
