import { getImport } from '../shared/domain/imports';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/import-get';

export const handler = httpHandler(route.getImport, async ({ actor, params }) => ({ body: await getImport(actor, params.importId) }));
