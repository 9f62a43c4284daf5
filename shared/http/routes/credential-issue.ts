import * as credentials from '../../schemas/credentials';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const issueMyCredential = route({
  method: 'POST',
  path: '/v1/learners/me/credentials',
  handler: 'credential-issue',
  data: 'read-write',
  credentialKeys: 'sign',
  access: { kind: 'roles', roles: ['learner'] },
  summary: 'Obtain an Open Badges 3.0 credential (JWT, ES256) for an achievement the caller holds; one per achievement (a repeat answers the same credential)',
  tag: 'credentials',
  body: { json: credentials.issueCredentialBody },
  responses: {
    200: { description: 'Issued before: the same credential', schema: credentials.credentialView },
    201: { description: 'Issued', schema: credentials.credentialView },
    ...problemResponses,
    422: unprocessable,
  },
});
