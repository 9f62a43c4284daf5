import { publishedKeys } from '../shared/credentials/publish';
import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/credential-jwks';

// The media type the client asked for (application/json unless it names application/jwk-set+json): the key set either way.
export const handler = tablelessHttpHandler(route.getCredentialKeys, async ({ mediaType }) => ({
  body: await publishedKeys(),
  headers: { 'content-type': mediaType, 'cache-control': 'public, max-age=300' },
}));
