import { issueMyCredential } from '../shared/domain/credentials';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/credential-issue';

export const handler = httpHandler(route.issueMyCredential, async ({ actor, body }) => {
  const { created, view } = await issueMyCredential(actor, body.achievement, new Date());
  return { status: created ? 201 : 200, body: view };
});
