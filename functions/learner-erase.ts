import { eraseOwnData } from '../shared/domain/personal-data';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/learner-erase';

export const handler = httpHandler(route.eraseMyData, async ({ actor }) => ({ body: await eraseOwnData(actor, new Date()) }));
