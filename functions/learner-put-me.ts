import { saveOwnProfile } from '../shared/domain/learners';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.putMyProfile, async ({ actor, body }) => {
  const { created, view } = await saveOwnProfile(actor, body, new Date());
  return { status: created ? 201 : 200, body: view };
});
