import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { publicBaseUrl } from '../credentials/settings';
import { auditSubject, recordAudit } from '../data/audit';
import { getLrsClient, putLrsClient } from '../data/xapi';
import type { Actor } from '../identity';

/**
 * The credentials a provider's learning system uses on the xAPI endpoint: HTTP Basic, a
 * key and a secret as LRS clients expect. The secret is 32 random bytes, shown once and
 * stored only as its SHA-256 (a fast hash is enough for a secret of that entropy; a
 * password would need a slow one). A provider can hold several (one per system, or to
 * rotate); each acts as the provider.
 */
const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export async function issueLrsClient(actor: Actor & { org: string }, now: Date) {
  const key = `xk_${randomBytes(12).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const createdAt = now.toISOString();
  await putLrsClient({ key, providerId: actor.org, secretHash: digest(secret), createdAt, createdBy: actor.sub });
  await recordAudit(actor, 'xapi-client-issued', auditSubject.provider(actor.org), now, { key });
  return { key, secret, providerId: actor.org, endpoint: `${publicBaseUrl()}/xapi/`, createdAt };
}

const BASIC = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i;

/** The provider an `Authorization: Basic` header acts for, or undefined (unknown key, wrong secret, malformed). */
export async function authenticateLrsClient(authorization: string | undefined): Promise<Actor | undefined> {
  const match = BASIC.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const key = decoded.slice(0, colon);
  if (!/^xk_[0-9a-f]{24}$/.test(key)) return undefined;
  const client = await getLrsClient(key);
  const offered = Buffer.from(digest(decoded.slice(colon + 1)), 'hex');
  // Compared in constant time, and computed for unknown keys too.
  const stored = Buffer.from(client?.secretHash ?? digest(''), 'hex');
  if (!client || !timingSafeEqual(offered, stored)) return undefined;
  return { sub: `lrs-client:${key}`, role: 'provider', org: client.providerId };
}
