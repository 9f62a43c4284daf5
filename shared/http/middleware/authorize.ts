import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Actor } from '../../identity';
import { authenticate, bearerToken } from '../authenticate';
import { HttpProblem } from '../problem';
import type { Access } from '../route';
import { edgeState } from './state';

/** Route-level authorization from the route table's declaration. Default deny. */
export function mayCall(access: Access, actor: Actor | undefined): 'ok' | 'unauthenticated' | 'forbidden' {
  switch (access.kind) {
    case 'public':
    case 'public-or-token':
      return 'ok';
    case 'roles':
      if (!actor) return 'unauthenticated';
      return access.roles.includes(actor.role) ? 'ok' : 'forbidden';
    case 'lrs-client':
      return actor ? 'ok' : 'unauthenticated';
    default:
      return 'forbidden';
  }
}

/** Checks an `Authorization: Basic` header against the LRS client keys; the provider it acts for, or undefined. */
export type LrsClientCheck = (authorization: string | undefined) => Promise<Actor | undefined>;

/** Runs before any parsing, so callers without access learn nothing about the schema. */
export function authorize(access: Access, lrsClients?: LrsClientCheck): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const state = edgeState(request.event);
      if (access.kind === 'lrs-client') {
        if (!lrsClients) throw new Error('an lrs-client route needs lrsHttpHandler (shared/http/lrs-handler.ts)');
        state.actor = await lrsClients(request.event.headers?.authorization);
        if (!state.actor) {
          throw new HttpProblem(
            'unauthenticated',
            'This route needs the HTTP Basic key and secret issued to your provider (POST /v1/xapi/credentials).',
            {},
            { 'www-authenticate': 'Basic realm="kanryu xAPI"' },
          );
        }
        return;
      }
      if (access.kind !== 'public') {
        const token = bearerToken(request.event.headers?.authorization);
        if (token) state.actor = await authenticate(token);
      }
      const verdict = mayCall(access, state.actor);
      if (verdict === 'unauthenticated') {
        throw new HttpProblem('unauthenticated', 'This route needs a bearer token (Authorization: Bearer <token>).', {}, { 'www-authenticate': 'Bearer' });
      }
      if (verdict === 'forbidden') {
        throw new HttpProblem('forbidden', `The ${state.actor?.role ?? 'anonymous'} role may not call this route.`);
      }
    },
  };
}
