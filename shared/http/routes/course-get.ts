import * as courses from '../../schemas/courses';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getCourse = route({
  method: 'GET',
  path: '/v1/courses/{courseId}',
  handler: 'course-get',
  data: 'read',
  access: { kind: 'public' },
  summary: 'One course',
  tag: 'courses',
  params: courses.courseParams,
  responses: { 200: { description: 'The course', schema: courses.courseView }, 400: problemResponses[400], 404: notFound },
});
