import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.health, async () => ({ body: { status: 'ok' } }));
