import * as common from '../../schemas/common';
import { route } from '../route';
import { problemResponses } from './responses';

export const me = route({
  method: 'GET',
  path: '/v1/me',
  handler: 'me',
  data: 'none',
  access: { kind: 'roles', roles: ['learner', 'provider', 'employer', 'municipality', 'center', 'admin'] },
  summary: "The caller's identity as the API sees it",
  tag: 'identity',
  responses: { 200: { description: 'Subject, role and scope', schema: common.identity }, 401: problemResponses[401] },
});
