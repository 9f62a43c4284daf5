import { issueMyCredential } from '../shared/domain/credentials';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/credential-issue';

export const handler = httpHandler(route.issueMyCredential, async ({ actor, body }) => {
  const { created, view } = await issueMyCredential(actor, body.achievement, new Date());
  // Credentials are read in the learner's list: the Location of a new one and of one issued before.
  return { status: created ? 201 : 200, body: view, headers: { location: '/v1/learners/me/credentials' } };
});
