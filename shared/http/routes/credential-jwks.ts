import * as credentials from '../../schemas/credentials';
import { route } from '../route';

export const getCredentialKeys = route({
  method: 'GET',
  path: '/.well-known/jwks.json',
  handler: 'credential-jwks',
  data: 'none',
  credentialKeys: 'read',
  access: { kind: 'public' },
  summary: 'The public keys credentials are signed with (JWK Set, ES256): every key still listed, so rotation keeps older credentials verifiable',
  tag: 'credentials',
  responses: {
    200: {
      description: 'The key set',
      schema: credentials.jwks,
      alternatives: { 'application/jwk-set+json': { description: 'The same, as the JWK Set media type (RFC 7517)', schema: credentials.jwks } },
    },
  },
});
