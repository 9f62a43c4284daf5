import { readCourse } from '../shared/domain/courses';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/course-get';

export const handler = httpHandler(route.getCourse, async ({ params }) => ({
  body: await readCourse(params.courseId),
  headers: { 'cache-control': 'public, max-age=300' },
}));
