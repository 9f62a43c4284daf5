import { statusListOf } from '../shared/domain/credentials';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/credential-status';

export const handler = httpHandler(route.getCredentialStatusList, async ({ params, mediaType }) => {
  const answer = await statusListOf(Number(params.list), new Date(), mediaType === 'application/vc+jwt');
  // Revocation must reach verifiers quickly: caches may keep a list for a minute.
  const cache = { 'cache-control': 'public, max-age=60', vary: 'accept' };
  return answer.jwt ? { text: { contentType: 'application/vc+jwt', content: answer.jwt }, headers: cache } : { body: answer.json, headers: cache };
});
