import * as credentials from '../../schemas/credentials';
import * as common from '../../schemas/common';
import { route } from '../route';

export const verifyCredential = route({
  method: 'POST',
  path: '/v1/credentials/verify',
  handler: 'credential-verify',
  data: 'read',
  credentialKeys: 'read',
  access: { kind: 'public' },
  summary: 'Verify a credential this service issued (OB 3.0 JWT form): format, key, signature, credential, validity and status, each with the reason it fails',
  tag: 'credentials',
  body: { json: credentials.verifyCredentialBody },
  responses: {
    200: { description: 'Verified, or why not (`verified: false` with the failing check)', schema: credentials.verification },
    400: { description: 'The request does not match the schema', schema: common.problem },
  },
});
