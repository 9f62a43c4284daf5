import type { LambdaHandler } from '../../shared/http/handler';
import type { RouteSpec } from '../../shared/http/route';

const loaded = new Map<string, Promise<LambdaHandler>>();

/** Imports functions/<handler>.ts once, like a warm Lambda keeps its module. */
export function loadHandler(spec: Pick<RouteSpec, 'handler'>): Promise<LambdaHandler> {
  let handler = loaded.get(spec.handler);
  if (!handler) {
    handler = import(new URL(`../../functions/${spec.handler}.ts`, import.meta.url).href).then((module: { handler: LambdaHandler }) => module.handler);
    loaded.set(spec.handler, handler);
  }
  return handler;
}
