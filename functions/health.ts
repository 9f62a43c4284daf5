import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/health';

export const handler = httpHandler(route.health, async () => ({ body: { status: 'ok' } }));
