import { getCurrentCatalogVersion } from '../shared/data/catalog';
import { findCourses } from '../shared/domain/courses';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/course-list';

export const handler = pagedHttpHandler(route.listCourses, async ({ query }) => ({
  body: await findCourses(query, getCurrentCatalogVersion),
  headers: { 'cache-control': 'public, max-age=60' },
}));
