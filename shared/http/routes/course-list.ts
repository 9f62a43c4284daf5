import * as courses from '../../schemas/courses';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const listCourses = route({
  method: 'GET',
  path: '/v1/courses',
  handler: 'course-list',
  data: 'read',
  access: { kind: 'public' },
  summary: 'Courses covering a skill item, relevant to a role, or of a provider',
  tag: 'courses',
  query: courses.listCoursesQuery,
  responses: { 200: { description: 'A page of courses', schema: courses.courseList }, 400: problemResponses[400], 422: unprocessable },
});
