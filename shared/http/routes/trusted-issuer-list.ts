import * as issuers from '../../schemas/trusted-issuers';
import { route } from '../route';
import { problemResponses } from './responses';

export const listTrustedIssuers = route({
  method: 'GET',
  path: '/v1/trusted-issuers',
  handler: 'trusted-issuer-list',
  data: 'read',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'The registry of trusted Open Badges issuers',
  tag: 'credentials',
  responses: { 200: { description: 'The registry', schema: issuers.trustedIssuerList }, ...problemResponses },
});
