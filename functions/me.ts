import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.me, async ({ actor }) => ({ body: actor }));
