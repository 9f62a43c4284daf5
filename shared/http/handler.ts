import { edgeHandler, type LambdaHandler, type NotPaged, type RouteFunction } from './edge';
import { oncePerIdempotencyKey } from './idempotency';
import type { RouteSpec } from './route';

export type { HttpRequest, LambdaHandler, Reply } from './edge';

/**
 * The edge (./edge.ts) for a route that uses the table: Idempotency-Key handling where the
 * route is declared `idempotent`. Routes that answer pages use pagedHttpHandler
 * (./paged-handler.ts), which also seals cursors with the service keys; routes declared
 * `data: 'none'` use tablelessHttpHandler, which carries no AWS SDK.
 */
export function httpHandler<R extends RouteSpec>(spec: R & NotPaged<R>, run: RouteFunction<R>): LambdaHandler {
  return edgeHandler(spec, run, { oncePerIdempotencyKey });
}
