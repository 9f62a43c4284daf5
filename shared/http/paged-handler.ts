import { keyedDigest } from '../service-keys';
import { openCursor, sealCursor } from './cursor-seal';
import { type CursorStage, edgeHandler, type LambdaHandler, type RouteFunction } from './edge';
import { oncePerIdempotencyKey } from './idempotency';
import type { RouteSpec } from './route';

const cursors: CursorStage = {
  open: openCursor,
  async seal(cursor, binding) {
    const { digest } = await keyedDigest('cursor-tag', [cursor], 32);
    return { sealed: await sealCursor(cursor, binding), tag: digest };
  },
};

/**
 * The edge for a route that answers pages (its query takes a `cursor`): as httpHandler
 * (./handler.ts), and cursors leave the service sealed and come back opened
 * (./cursor-seal.ts). A flavour of its own because sealing needs the service keys, and
 * with them the Secrets Manager client, which other functions then never load.
 */
export function pagedHttpHandler<R extends RouteSpec>(spec: R, run: RouteFunction<R>): LambdaHandler {
  return edgeHandler(spec, run, { oncePerIdempotencyKey, cursors });
}
