import { readOwnProfile } from '../shared/domain/learners';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/learner-get-me';

export const handler = httpHandler(route.getMyProfile, async ({ actor }) => ({ body: await readOwnProfile(actor) }));
