import * as courses from '../../schemas/courses';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const createCourse = route({
  method: 'POST',
  path: '/v1/courses',
  handler: 'course-create',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary: 'Register a course with the DSS-L items and DSS-P skills a completion attains',
  tag: 'courses',
  idempotent: true,
  body: { json: courses.createCourseBody },
  responses: { 201: { description: 'Registered', schema: courses.courseView }, ...problemResponses, 422: unprocessable },
});
