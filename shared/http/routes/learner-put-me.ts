import * as learners from '../../schemas/learners';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const putMyProfile = route({
  method: 'PUT',
  path: '/v1/learners/me',
  handler: 'learner-put-me',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary: "Create or replace the caller's learner profile (residence, where and how they would work, matching consent, contact)",
  tag: 'learners',
  body: { json: learners.putProfileBody },
  responses: {
    200: { description: 'Replaced', schema: learners.profileView },
    201: { description: 'Created', schema: learners.profileView },
    ...problemResponses,
    422: unprocessable,
  },
});
