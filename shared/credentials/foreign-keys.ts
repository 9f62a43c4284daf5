import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { JwsParts } from './jws';

/**
 * What checking another issuer's credential needs: its keys (JWK), signatures in the
 * algorithms Open Badges issuers use, and documents fetched from the URLs the registry
 * names: https only, no redirects, at most 256 KB, within 3 seconds.
 */
export const FETCH_LIMIT_BYTES = 256 * 1024;
const FETCH_TIMEOUT_MS = 3000;

export async function fetchRegistered(url: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  if (!/^https:\/\/[^\s/]+/.test(url)) return { ok: false, reason: `${url} is not an https URL` };
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/json, application/jwk-set+json, application/vc+jwt' },
    });
  } catch {
    return { ok: false, reason: `${url} could not be fetched (unreachable, redirected or slower than ${FETCH_TIMEOUT_MS / 1000} s)` };
  }
  if (!response.ok) return { ok: false, reason: `${url} answered ${response.status}` };
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > FETCH_LIMIT_BYTES) return { ok: false, reason: `${url} is larger than ${FETCH_LIMIT_BYTES / 1024} KB` };
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > FETCH_LIMIT_BYTES) return { ok: false, reason: `${url} is larger than ${FETCH_LIMIT_BYTES / 1024} KB` };
  return { ok: true, text: body.toString('utf8') };
}

const ALGORITHMS: Record<string, { hash: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  ES384: { hash: 'sha384', dsaEncoding: 'ieee-p1363' },
  RS256: { hash: 'sha256' },
  EdDSA: { hash: null },
};

export const supportedAlgorithm = (alg: unknown): alg is keyof typeof ALGORITHMS => typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg);

export function publicKeyFrom(jwk: Record<string, unknown>): KeyObject | undefined {
  try {
    const { d: _private, ...publicPart } = jwk;
    return createPublicKey({ key: publicPart as JsonWebKey, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export function verifyWith(alg: keyof typeof ALGORITHMS, parts: Pick<JwsParts, 'signingInput' | 'signature'>, key: KeyObject): boolean {
  const a = ALGORITHMS[alg]!;
  try {
    return verifySignature(a.hash, Buffer.from(parts.signingInput), a.dsaEncoding ? { key, dsaEncoding: a.dsaEncoding } : key, parts.signature);
  } catch {
    return false;
  }
}

/** The status bit at `index` of a Bitstring Status List's encodedList, or a reason it cannot be read. */
export function statusBit(encodedList: unknown, index: number): boolean | { reason: string } {
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) return { reason: 'the status list is not a multibase base64url encodedList' };
  try {
    const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: 16 * 1024 * 1024 });
    if (index >= bits.length * 8) return { reason: 'the status index is outside the status list' };
    return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  } catch {
    return { reason: 'the status list cannot be decoded' };
  }
}
