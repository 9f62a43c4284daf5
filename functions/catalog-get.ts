import { requireCatalog } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/catalog-get';

export const handler = httpHandler(route.getCatalog, async ({ params }) => ({
  body: await requireCatalog(params.version),
  // Installed versions are immutable; the ETag lets clients revalidate for free.
  headers: { 'cache-control': 'public, max-age=3600' },
}));
