import * as credentials from '../../schemas/credentials';
import { route } from '../route';

export const getCredentialIssuer = route({
  method: 'GET',
  path: '/v1/credentials/issuer',
  handler: 'credential-issuer',
  data: 'none',
  credentialKeys: 'read',
  access: { kind: 'public' },
  summary: "The issuer's Open Badges 3.0 Profile (the credentials' issuer id), with its public keys",
  tag: 'credentials',
  responses: { 200: { description: 'The issuer profile', schema: credentials.openBadgeDocument } },
});
