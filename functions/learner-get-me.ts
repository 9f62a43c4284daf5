import { readOwnProfile } from '../shared/domain/learners';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getMyProfile, async ({ actor }) => ({ body: await readOwnProfile(actor) }));
