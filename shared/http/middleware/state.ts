import type { Actor } from '../../identity';

/** What the edge middlewares learn about a request and hand to the route's function. */
export interface EdgeState {
  actor?: Actor;
  params?: unknown;
  query?: unknown;
  body?: unknown;
  idempotencyKey?: string;
  /** The representation content negotiation chose (./negotiate.ts). */
  mediaType?: string;
}

const states = new WeakMap<object, EdgeState>();

/** Per-invocation state, keyed by the event object so concurrent local requests never mix. */
export function edgeState(event: object): EdgeState {
  let state = states.get(event);
  if (!state) {
    state = {};
    states.set(event, state);
  }
  return state;
}
