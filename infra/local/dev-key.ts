import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { claimNames, type Role } from '../../shared/identity';

/**
 * The local host's stand-in for Cognito: an RSA key that signs development tokens with
 * the same claims a Cognito ID token carries. The handlers verify them with the same
 * library they use in AWS; only the key source differs.
 */
/** The two pools, as the local host names them (in AWS: two Cognito user pools). */
export const LOCAL_POOLS = {
  learner: { issuer: 'https://kanryu.local/learners', audience: 'kanryu-local-learners' },
  staff: { issuer: 'https://kanryu.local/staff', audience: 'kanryu-local-staff' },
} as const;
export type PoolName = keyof typeof LOCAL_POOLS;

/** The identity settings the handlers read, for a development key. */
export const localAuthEnvironment = (key: DevKey) => ({
  AUTH_LEARNER_ISSUER: LOCAL_POOLS.learner.issuer,
  AUTH_LEARNER_AUDIENCE: LOCAL_POOLS.learner.audience,
  AUTH_STAFF_ISSUER: LOCAL_POOLS.staff.issuer,
  AUTH_STAFF_AUDIENCE: LOCAL_POOLS.staff.audience,
  AUTH_JWKS: jwksOf(key),
});

export interface DevKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function createDevKey(): Promise<DevKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
  };
}

/** Reads the key kept beside the local data, creating it on first use. */
export async function loadOrCreateDevKey(file: string): Promise<DevKey> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKey;
  const key = await createDevKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}

export const jwksOf = (key: DevKey) => JSON.stringify({ keys: [key.publicJwk] });

export interface TokenRequest {
  sub: string;
  role: Role;
  prefecture?: string;
  org?: string;
  /** Seconds; default 12 hours. */
  expiresIn?: number;
}

/**
 * A token as Cognito would issue it: a learner's from the learners' pool; a staff
 * account's from the staff pool, its role as its one group.
 */
export async function signDevToken(key: DevKey, request: TokenRequest): Promise<string> {
  if (request.role === 'learner') return signDevClaims(key, 'learner', { sub: request.sub, token_use: 'id' }, request.expiresIn);
  const claims: Record<string, unknown> = { sub: request.sub, token_use: 'id', [claimNames.groups]: [request.role] };
  if (request.prefecture) claims[claimNames.prefecture] = request.prefecture;
  if (request.org) claims[claimNames.org] = request.org;
  return signDevClaims(key, 'staff', claims, request.expiresIn);
}

/**
 * Any claims, signed by the development key for one pool: tests use it to forge what a
 * client could (self-written attributes, missing or malformed claims). `exp` is added
 * unless the claims set it (null leaves it out).
 */
export async function signDevClaims(key: DevKey, pool: PoolName, claims: Record<string, unknown>, expiresIn = 12 * 3600): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  const { exp = now + expiresIn, ...rest } = claims;
  const payload: Record<string, unknown> = {
    iss: LOCAL_POOLS[pool].issuer,
    aud: LOCAL_POOLS[pool].audience,
    iat: now,
    ...rest,
    ...(exp === null ? {} : { exp }),
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.privateJwk.kid! }).sign(privateKey);
}

/** A fresh service keyring (cursor, handle and proposal-id keys) in the format of shared/service-keys.ts. */
export const createServiceKeyring = () => JSON.stringify({ current: 'k1', k1: randomBytes(32).toString('base64url') });

/** The local host's keyring, kept beside the data so cursors and handles survive a restart. */
export function loadOrCreateServiceKeyring(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const keyring = createServiceKeyring();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, keyring, { mode: 0o600 });
  return keyring;
}
