import { receiveCredential } from '../shared/domain/received-credentials';
import { verifiedEmailOf } from '../shared/http/authenticate';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/credential-receive';

export const handler = httpHandler(route.receiveCredential, async ({ actor, body, headers }) => {
  const answer = await receiveCredential(actor, body.credential, await verifiedEmailOf(headers.authorization), new Date());
  // What a received credential records is a completion: read in the learner's completions, new or recorded before.
  const location = `/v1/learners/${encodeURIComponent(actor.sub)}/completions`;
  return { status: answer.outcome === 'unchanged' ? 200 : 201, body: answer, headers: { location } };
});
