import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { FetchError } from 'aws-jwt-verify/error';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import * as z from 'zod/mini';
import { loadAuthConfig, type AuthConfig } from '../config';
import { type ProblemExtensions, serviceBusy } from '../errors';
import { prefectureCode } from '../ids';
import { baseClaims, claimNames, isStaffRole, organisationIdOf, type Actor, type StaffRole } from '../identity';
import { HttpProblem } from './problem';

/**
 * Bearer-token verification, the same library and claims in AWS (Cognito ID tokens, keys
 * fetched from each user pool's JWKS) and locally (tokens signed by the development key,
 * whose public half is configured inline). Two pools are trusted: a token from the
 * learners' pool is a learner's whatever else it claims; a staff token's role is its one
 * staff group. Every claim is parsed like any other input. In AWS the HTTP API's
 * authorizer has checked the token already; checking again keeps the handler safe alone.
 */
let verifier: { config: AuthConfig; jwt: ReturnType<typeof createVerifier> } | undefined;

function createVerifier(config: AuthConfig) {
  const jwt = JwtVerifier.create([config.learnerPool, config.staffPool]);
  if (config.jwks) {
    for (const pool of [config.learnerPool, config.staffPool]) jwt.cacheJwks(config.jwks as Parameters<typeof jwt.cacheJwks>[0], pool.issuer);
  }
  return jwt;
}

function configuredVerifier() {
  if (!verifier) {
    const config = loadAuthConfig(process.env);
    verifier = { config, jwt: createVerifier(config) };
  }
  return verifier;
}

const unauthenticated = (detail: string, extensions: ProblemExtensions = {}) =>
  new HttpProblem('unauthenticated', detail, extensions, { 'www-authenticate': 'Bearer' });

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  return match[1];
}

/**
 * Signature, issuer, audience and expiry only. The gateway's authorizer stops here, so
 * that a malformed claim reaches the handler and gets its 401 naming the claim.
 */
export async function verify(token: string): Promise<JwtPayload> {
  const { config, jwt } = configuredVerifier();
  try {
    return config.jwks ? jwt.verifySync(token) : await jwt.verify(token);
  } catch (error) {
    if (error instanceof FetchError) {
      throw serviceBusy('The identity provider cannot be reached; retry shortly.');
    }
    throw unauthenticated('The bearer token is invalid or expired.');
  }
}

/** Parses one claim with its schema, or answers 401 naming the claim. */
function claim<S extends z.ZodMiniType>(claims: JwtPayload, name: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(claims[name]);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'malformed';
  throw unauthenticated(`The token's claim ${name} is not valid: ${message}.`, { claim: name });
}

const groupList = z.optional(z.array(z.string()));

function staffRoleOf(claims: JwtPayload): StaffRole {
  const held = (claim(claims, claimNames.groups, groupList) ?? []).filter(isStaffRole);
  if (held.length !== 1) {
    throw unauthenticated(
      held.length === 0
        ? 'This staff account is in no role group; an administrator assigns one.'
        : `This staff account is in several role groups (${held.join(', ')}); an administrator keeps exactly one.`,
      { claim: claimNames.groups },
    );
  }
  return held[0]!;
}

/** Verifies the token and turns its claims into an Actor, or answers 401 naming the claim at fault. */
export async function authenticate(token: string): Promise<Actor> {
  const claims = await verify(token);
  for (const name of ['token_use', 'exp', 'sub'] as const) claim(claims, name, baseClaims.shape[name]);
  const sub = claims.sub as string;
  // The verifier accepts only the two configured issuers.
  if (claims.iss === configuredVerifier().config.learnerPool.issuer) return { sub, role: 'learner' };

  const role = staffRoleOf(claims);
  const actor: Actor = { sub, role };
  if (role === 'center') actor.prefecture = claim(claims, claimNames.prefecture, prefectureCode);
  if (role === 'provider' || role === 'employer' || role === 'municipality') {
    actor.org = claim(claims, claimNames.org, organisationIdOf[role]);
  }
  return actor;
}

/**
 * The e-mail address a learner's account has verified (Cognito's `email` with
 * `email_verified`), read from their token only where a route needs it (a received
 * credential's subject): it is never part of the Actor, so it reaches no log or record.
 */
export async function verifiedEmailOf(authorization: string | undefined): Promise<string | undefined> {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  const claims = await verify(token);
  if (claims.iss !== configuredVerifier().config.learnerPool.issuer) return undefined;
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  return verified && typeof claims.email === 'string' && claims.email.includes('@') ? claims.email : undefined;
}
