import { httpHandler } from '../shared/http/handler';
import { buildOpenApi } from '../shared/http/openapi';
import { routeList } from '../shared/http/routes';
import * as route from '../shared/http/routes/openapi';

// Built once per cold start: the route table cannot change while the process lives.
const document = buildOpenApi(routeList, { version: '1' });

export const handler = httpHandler(route.openapi, async () => ({
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
