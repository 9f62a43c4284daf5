import * as credentials from '../../schemas/credentials';
import { route } from '../route';
import { notFound } from './responses';
import * as common from '../../schemas/common';

export const getCredentialStatusList = route({
  method: 'GET',
  path: '/v1/credentials/status/{list}',
  handler: 'credential-status',
  data: 'read',
  credentialKeys: 'sign',
  access: { kind: 'public' },
  summary:
    'A Bitstring Status List credential (revocation): a set bit means the credential at that index is revoked. `Accept: application/vc+jwt` answers it signed',
  tag: 'credentials',
  params: credentials.statusListParams,
  responses: {
    200: {
      description: 'The status list credential',
      schema: credentials.openBadgeDocument,
      alternatives: { 'application/vc+jwt': { description: 'The same, signed (compact JWS, ES256)' } },
    },
    400: { description: 'Not a status list number', schema: common.problem },
    404: notFound,
  },
});
