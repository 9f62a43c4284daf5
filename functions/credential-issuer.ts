import { credentialIssuer } from '../shared/credentials/publish';
import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/credential-issuer';

export const handler = tablelessHttpHandler(route.getCredentialIssuer, async () => ({
  body: await credentialIssuer(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
