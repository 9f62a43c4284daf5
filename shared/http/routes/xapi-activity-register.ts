import * as xapi from '../../schemas/xapi';
import { route } from '../route';
import { notFound, problemResponses } from './responses';
import * as common from '../../schemas/common';

export const registerXapiActivity = route({
  method: 'PUT',
  path: '/v1/courses/{courseId}/xapi-activities',
  handler: 'xapi-activity-register',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary:
    'Register the xAPI activity id your learning system reports this course under: completed/passed statements about it become completions of the course (idempotent)',
  tag: 'xapi',
  params: xapi.registerActivityParams,
  body: { json: xapi.registerActivityBody },
  responses: {
    200: { description: 'Registered already', schema: xapi.activityRegistration },
    201: { description: 'Registered', schema: xapi.activityRegistration },
    ...problemResponses,
    404: notFound,
    409: { description: 'The activity id is registered for another of your courses', schema: common.problem },
  },
});
