import { getCurrentCatalogVersion } from '../shared/data/catalog';
import { findCourses } from '../shared/domain/courses';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.listCourses, async ({ query }) => ({
  body: await findCourses(query, getCurrentCatalogVersion),
  headers: { 'cache-control': 'public, max-age=60' },
}));
