import { installCatalog } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/catalog-install';

export const handler = httpHandler(route.installCatalog, async ({ body }) => {
  const { created, summary } = await installCatalog(body.catalog, body.makeCurrent ?? false, new Date());
  return { status: created ? 201 : 200, body: summary, headers: { location: `/v1/catalog/${summary.version}` } };
});
