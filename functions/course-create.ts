import { registerCourse } from '../shared/domain/courses';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/course-create';

export const handler = httpHandler(route.createCourse, async (request) => {
  const course = await registerCourse(request.actor, request.body, new Date());
  return { status: 201, body: course, headers: { location: `/v1/courses/${course.courseId}` } };
});
