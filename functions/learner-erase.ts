import { eraseOwnData } from '../shared/domain/personal-data';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.eraseMyData, async ({ actor }) => ({ body: await eraseOwnData(actor, new Date()) }));
