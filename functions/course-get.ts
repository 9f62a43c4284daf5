import { readCourse } from '../shared/domain/courses';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getCourse, async ({ params }) => ({
  body: await readCourse(params.courseId),
  headers: { 'cache-control': 'public, max-age=300' },
}));
