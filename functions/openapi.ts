import { tablelessHttpHandler } from '../shared/http/edge';
import { buildOpenApi } from '../shared/http/openapi';
import { routeList } from '../shared/http/routes';
import * as route from '../shared/http/routes/openapi';

// Built by the first request, then kept: the route table cannot change while the process
// lives. The first request pays for it instead of the import, which it made twice BASELINE's
// in the cold-start benchmark (docs/benchmarks.md).
let document: ReturnType<typeof buildOpenApi> | undefined;

export const handler = tablelessHttpHandler(route.openapi, async () => ({
  body: (document ??= buildOpenApi(routeList, { version: '1' })),
  headers: { 'cache-control': 'public, max-age=300' },
}));
