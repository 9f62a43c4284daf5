import * as issuers from '../../schemas/trusted-issuers';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const saveTrustedIssuer = route({
  method: 'POST',
  path: '/v1/trusted-issuers',
  handler: 'trusted-issuer-save',
  data: 'read-write',
  access: { kind: 'roles', roles: ['admin'] },
  summary:
    'Add or replace a trusted Open Badges issuer (by its issuer id): its keys inline or an https JWK Set URL, its status list prefix, and which achievement stands for which course',
  tag: 'credentials',
  body: { json: issuers.trustedIssuerBody },
  responses: {
    200: { description: 'Replaced', schema: issuers.trustedIssuerView },
    201: { description: 'Added', schema: issuers.trustedIssuerView },
    ...problemResponses,
    422: unprocessable,
  },
});
