import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/me';

export const handler = httpHandler(route.me, async ({ actor }) => ({ body: actor }));
