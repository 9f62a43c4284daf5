import { publishedKeys } from '../shared/credentials/publish';
import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/credential-jwks';

export const handler = tablelessHttpHandler(route.getCredentialKeys, async () => ({
  body: await publishedKeys(),
  headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' },
}));
