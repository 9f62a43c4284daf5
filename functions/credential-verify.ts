import { verifyCredential } from '../shared/domain/credentials';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/credential-verify';

export const handler = httpHandler(route.verifyCredential, async ({ body }) => ({ body: await verifyCredential(body.credential, new Date()) }));
