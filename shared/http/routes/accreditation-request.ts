import * as courses from '../../schemas/courses';
import { route } from '../route';
import { notFound, problemResponses, unprocessable } from './responses';

export const requestAccreditation = route({
  method: 'POST',
  path: '/v1/courses/{courseId}/accreditation-requests',
  handler: 'accreditation-request',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary: "Ask the national office to accredit one of your courses under a scheme (the request attests the course's DSS items and levels as they are now)",
  tag: 'courses',
  params: courses.courseParams,
  body: { json: courses.accreditationRequestBody },
  responses: { 201: { description: 'Requested', schema: courses.accreditationRequestView }, ...problemResponses, 404: notFound, 422: unprocessable },
});
