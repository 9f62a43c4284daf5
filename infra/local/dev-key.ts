import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { claimNames, type Role } from '../../shared/identity';

/**
 * The local host's stand-in for Cognito: an RSA key that signs development tokens with
 * the same claims a Cognito ID token carries. The handlers verify them with the same
 * library they use in AWS; only the key source differs.
 */
export const LOCAL_ISSUER = 'https://kanryu.local/issuer';
export const LOCAL_AUDIENCE = 'kanryu-local';

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

export async function signDevToken(key: DevKey, request: TokenRequest): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, 'RS256');
  const claims: Record<string, unknown> = { token_use: 'id', [claimNames.role]: request.role };
  if (request.prefecture) claims[claimNames.prefecture] = request.prefecture;
  if (request.org) claims[claimNames.org] = request.org;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.privateJwk.kid! })
    .setSubject(request.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (request.expiresIn ?? 12 * 3600))
    .sign(privateKey);
}
