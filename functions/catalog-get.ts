import { requireCatalog } from '../shared/domain/catalog';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getCatalog, async ({ params }) => ({
  body: await requireCatalog(params.version),
  // Installed versions are immutable; the ETag lets clients revalidate for free.
  headers: { 'cache-control': 'public, max-age=3600' },
}));
