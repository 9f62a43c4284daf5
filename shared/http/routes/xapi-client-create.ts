import * as xapi from '../../schemas/xapi';
import { route } from '../route';
import { problemResponses } from './responses';

export const createXapiClient = route({
  method: 'POST',
  path: '/v1/xapi/credentials',
  handler: 'xapi-client-create',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary: "Issue a key and secret for your learning system's xAPI client (HTTP Basic on /xapi/statements); the secret is shown once and stored hashed",
  tag: 'xapi',
  responses: {
    201: {
      description: 'Issued',
      schema: xapi.lrsClientIssued,
      withoutLocation: 'the secret is shown once, in this answer, and stored hashed; nothing can read the client back',
    },
    ...problemResponses,
  },
});
