import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * Compact JWS (RFC 7515) with ES256, as the Open Badges 3.0 JWT proof format uses it:
 * the payload is the credential itself, the header names the key (`kid`). Signing goes
 * through a Signer (./signing-keys.ts: a development key locally, KMS in AWS); verifying
 * is plain node:crypto, so the service needs no JOSE library at run time.
 */
export const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export interface JwsParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of a compact JWS, or why it is not one. Nothing is trusted yet. */
export function parseCompactJws(token: string): JwsParts | { error: string } {
  if (!COMPACT.test(token)) return { error: 'not a compact JWS (three base64url parts separated by dots)' };
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = jsonObject(h);
  const payload = jsonObject(p);
  if (!header) return { error: 'the JWS header is not a JSON object' };
  if (!payload) return { error: 'the JWS payload is not a JSON object' };
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

/** An ES256 signature (raw r||s, 64 bytes) over the signing input, checked with a P-256 public key. */
export function verifyEs256(parts: Pick<JwsParts, 'signingInput' | 'signature'>, key: KeyObject): boolean {
  if (parts.signature.length !== 64) return false;
  try {
    return verifySignature('sha256', Buffer.from(parts.signingInput), { key, dsaEncoding: 'ieee-p1363' }, parts.signature);
  } catch {
    return false;
  }
}

export const publicKeyOf = (jwk: JsonWebKey) => createPublicKey({ key: jwk, format: 'jwk' });

/** KMS answers ECDSA signatures DER-encoded; JWS wants r||s, each 32 bytes. */
export function derToP1363(der: Uint8Array): Buffer {
  const bytes = Buffer.from(der);
  let offset = 2;
  if (bytes[1]! & 0x80) offset += bytes[1]! & 0x7f;
  const integer = () => {
    if (bytes[offset] !== 0x02) throw new Error('not a DER ECDSA signature');
    const length = bytes[offset + 1]!;
    const value = bytes.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    const trimmed = value.subarray(Math.max(0, value.length - 32));
    return Buffer.concat([Buffer.alloc(32 - trimmed.length), trimmed]);
  };
  return Buffer.concat([integer(), integer()]);
}
