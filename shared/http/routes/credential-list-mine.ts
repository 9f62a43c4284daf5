import * as credentials from '../../schemas/credentials';
import { route } from '../route';
import { problemResponses } from './responses';

export const listMyCredentials = route({
  method: 'GET',
  path: '/v1/learners/me/credentials',
  handler: 'credential-list-mine',
  data: 'read',
  access: { kind: 'roles', roles: ['learner'] },
  summary: "The caller's credentials (with their signed form) and the achievements they hold that a credential can be issued for",
  tag: 'credentials',
  responses: { 200: { description: 'Credentials and achievements', schema: credentials.myCredentials }, ...problemResponses },
});
