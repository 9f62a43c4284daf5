import { unlinkProvider } from '../shared/domain/provider-links';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/provider-unlink';

export const handler = httpHandler(route.unlinkProvider, async ({ actor, params }) => ({ body: await unlinkProvider(actor, params.providerId, new Date()) }));
