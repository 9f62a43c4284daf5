import { myCredentials } from '../shared/domain/credentials';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/credential-list-mine';

export const handler = httpHandler(route.listMyCredentials, async ({ actor }) => ({ body: await myCredentials(actor) }));
