import { registerCourse } from '../shared/domain/courses';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.createCourse, async (request) => {
  const course = await registerCourse(request.actor, request.body, new Date());
  return { status: 201, body: course, headers: { location: `/v1/courses/${course.courseId}` } };
});
