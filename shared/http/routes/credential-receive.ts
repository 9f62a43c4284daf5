import * as issuers from '../../schemas/trusted-issuers';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const receiveCredential = route({
  method: 'POST',
  path: '/v1/learners/me/credentials/received',
  handler: 'credential-receive',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary:
    'Submit an Open Badges 3.0 credential you hold (JWT form) from a trusted issuer: verified (signature, dates, status, subject = your verified e-mail) it becomes a verified completion of the course it stands for',
  tag: 'credentials',
  body: { json: issuers.receivedCredentialBody },
  responses: {
    200: { description: 'Recorded before: no change', schema: issuers.receivedCredentialAnswer },
    201: { description: 'Recorded (or a self-reported completion verified)', schema: issuers.receivedCredentialAnswer },
    ...problemResponses,
    422: { ...unprocessable, description: 'Refused, with the reason: unknown issuer, bad signature, revoked, expired, not about you, unmapped achievement' },
  },
});
