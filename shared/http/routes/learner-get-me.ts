import * as learners from '../../schemas/learners';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getMyProfile = route({
  method: 'GET',
  path: '/v1/learners/me',
  handler: 'learner-get-me',
  data: 'read',
  access: { kind: 'roles', roles: ['learner'] },
  summary: "The caller's own profile, with contact details",
  tag: 'learners',
  responses: { 200: { description: 'The profile', schema: learners.profileView }, 401: problemResponses[401], 403: problemResponses[403], 404: notFound },
});
