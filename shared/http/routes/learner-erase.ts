import * as learners from '../../schemas/learners';
import { route } from '../route';
import { problemResponses } from './responses';

export const eraseMyData = route({
  method: 'DELETE',
  path: '/v1/learners/me',
  handler: 'learner-erase',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary: "Erase the caller's personal data (APPI); anonymous counts stay exact",
  tag: 'learners',
  responses: { 200: { description: 'Erased', schema: learners.erasureView }, 401: problemResponses[401], 403: problemResponses[403] },
});
