import { saveOwnProfile } from '../shared/domain/learners';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/learner-put-me';

export const handler = httpHandler(route.putMyProfile, async ({ actor, body }) => {
  const { created, view } = await saveOwnProfile(actor, body, new Date());
  return { status: created ? 201 : 200, body: view, headers: { location: '/v1/learners/me' } };
});
