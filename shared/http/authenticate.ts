import { JwtRsaVerifier } from 'aws-jwt-verify';
import { FetchError } from 'aws-jwt-verify/error';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { loadAuthConfig } from '../config';
import { AppError } from '../errors';
import { claimNames, isRole, type Actor } from '../identity';
import { HttpProblem } from './problem';

/**
 * Bearer-token verification, the same library and claims in AWS (Cognito ID tokens, keys
 * fetched from the user pool's JWKS) and locally (tokens signed by the development key,
 * whose public half is configured inline). In AWS the HTTP API's JWT authorizer has
 * already checked the token; checking again here keeps the handler safe on its own.
 */
const auth = loadAuthConfig(process.env);
const verifier = JwtRsaVerifier.create({
  issuer: auth.issuer,
  audience: auth.audience,
  ...(auth.jwksUri ? { jwksUri: auth.jwksUri } : {}),
});
if (auth.jwks) verifier.cacheJwks(auth.jwks as Parameters<typeof verifier.cacheJwks>[0]);

const unauthenticated = (detail: string) =>
  new HttpProblem('unauthenticated', detail, {}, { 'www-authenticate': 'Bearer' });

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  return match[1];
}

async function verify(token: string): Promise<JwtPayload> {
  try {
    return auth.jwks ? verifier.verifySync(token) : await verifier.verify(token);
  } catch (error) {
    if (error instanceof FetchError) {
      throw new AppError('busy', 'The identity provider cannot be reached; retry shortly.');
    }
    throw unauthenticated('The bearer token is invalid or expired.');
  }
}

/** Verifies the token and turns its claims into an Actor, or answers 401. */
export async function authenticate(token: string): Promise<Actor> {
  const claims = await verify(token);
  if (claims.token_use !== undefined && claims.token_use !== 'id') {
    throw unauthenticated('Use an ID token: it carries the role claims.');
  }
  const role = claims[claimNames.role];
  const sub = claims.sub;
  if (typeof sub !== 'string' || !isRole(role)) {
    throw unauthenticated('The token carries no known role.');
  }
  const actor: Actor = { sub, role };
  const prefecture = claims[claimNames.prefecture];
  const org = claims[claimNames.org];
  if (typeof prefecture === 'string' && prefecture !== '') actor.prefecture = prefecture;
  if (typeof org === 'string' && org !== '') actor.org = org;
  if (role === 'center' && !actor.prefecture) throw unauthenticated('A center token must name its prefecture.');
  if (['provider', 'employer', 'municipality'].includes(role) && !actor.org) {
    throw unauthenticated(`A ${role} token must name its organisation.`);
  }
  return actor;
}
