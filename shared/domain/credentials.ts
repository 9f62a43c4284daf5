import { randomUUID } from 'node:crypto';
import { parseCompactJws, publicKeyOf, verifyEs256 } from '../credentials/jws';
import {
  credentialUrls,
  learnerSubjectId,
  OB_CONTEXT,
  openBadgeCredential,
  signCredential,
  STATUS_LIST_LENGTH,
  statusListCredential,
  VC_CONTEXT,
} from '../credentials/open-badge';
import { credentialSigner } from '../credentials/signing-keys';
import { auditSubject, recordAudit } from '../data/audit';
import {
  allocateStatusEntry,
  credentialsOfLearner,
  getIssuedCredential,
  getStatusList,
  markCredentialRevoked,
  putIssuedCredential,
  revokeStatusEntry,
  type IssuedCredential,
} from '../data/credentials';
import { getLearnerProfile } from '../data/learners';
import { invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import { achievementsHeld } from './credential-achievements';

/**
 * Open Badges 3.0 out: a learner obtains a signed credential for an achievement they
 * hold; anyone verifies it (POST /v1/credentials/verify) against the published keys and
 * the status list. Revocation sets the credential's bit in its status list.
 */
const credentialView = (c: IssuedCredential) => ({
  credentialId: c.credentialId,
  achievement: c.achievement,
  issuedAt: c.issuedAt,
  status: c.revokedAt ? ('revoked' as const) : ('active' as const),
  ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
  statusListCredential: credentialUrls().statusList(c.statusList),
  statusListIndex: c.statusIndex,
  ...(c.jwt ? { credential: c.jwt } : {}),
});

export async function myCredentials(actor: Actor) {
  const [issued, held] = await Promise.all([credentialsOfLearner(actor.sub), achievementsHeld(actor.sub)]);
  const active = new Set(issued.filter((c) => !c.revokedAt).map((c) => c.achievement));
  return {
    credentials: issued.map(credentialView),
    achievements: held.map((a) => ({ achievement: a.key, name: a.name, heldSince: a.heldSince, issued: active.has(a.key) })),
  };
}

export async function issueMyCredential(actor: Actor, achievement: string, now: Date) {
  const learnerId = actor.sub;
  if (!(await getLearnerProfile(learnerId))) throw invalid('you have no profile: create it with PUT /v1/learners/me first');
  const existing = await getIssuedCredential(learnerId, achievement);
  if (existing && !existing.revokedAt) return { created: false, view: credentialView(existing) };
  const held = (await achievementsHeld(learnerId)).find((a) => a.key === achievement);
  if (!held) throw invalid(`you do not hold the achievement ${achievement}: GET /v1/learners/me/credentials lists those you hold`);
  const { list, index } = await allocateStatusEntry(STATUS_LIST_LENGTH);
  const credentialId = `urn:uuid:${randomUUID()}`;
  const credential = openBadgeCredential({ credentialId, learnerId, achievement: held, statusList: list, statusIndex: index, issuedAt: now });
  const jwt = await signCredential(credentialSigner(), credential, learnerSubjectId(learnerId));
  const { created, stored } = await putIssuedCredential({
    credentialId,
    learnerId,
    achievement,
    statusList: list,
    statusIndex: index,
    issuedAt: now.toISOString(),
    jwt,
  });
  if (created) await recordAudit(actor, 'credential-issued', auditSubject.learner(learnerId), now, { achievement });
  // An erasure that ran while this was being signed has already revoked what it found: revoke this one too.
  if (!(await getLearnerProfile(learnerId))) {
    await revokeCredentialsOf(learnerId, 'erased', now);
    throw invalid('your account was erased while the credential was being issued');
  }
  return { created, view: credentialView(stored) };
}

/**
 * Revokes every credential of a learner: the status bit first (what verifiers see), then
 * the record. Erasure also drops the signed copies it kept. Safe to repeat.
 */
export async function revokeCredentialsOf(learnerId: string, reason: 'erased' | 'accreditation-withdrawn' | 'evidence-false', now: Date) {
  const issued = await credentialsOfLearner(learnerId);
  for (const c of issued) {
    await revokeStatusEntry(c.statusList, c.statusIndex);
    await markCredentialRevoked(learnerId, c.achievement, reason, now.toISOString(), reason === 'erased');
  }
  return issued.length;
}

/** The status list credential, as JSON or signed (the OB 3.0 JWT form, like the credentials). */
export async function statusListOf(list: number, now: Date, signed: boolean) {
  const stored = await getStatusList(list);
  if (!stored) throw notFound(`No status list ${list}.`);
  const credential = statusListCredential(list, stored.revoked, now);
  return signed ? { jwt: await signCredential(credentialSigner(), credential) } : { json: credential };
}

export interface VerificationCheck {
  check: 'format' | 'key' | 'signature' | 'credential' | 'validity' | 'status';
  ok: boolean;
  reason?: string;
}

/**
 * Verifies a credential in the OB 3.0 JWT form issued by this service, and says why not:
 * each check with its reason, in order; a failed check leaves the later ones unchecked.
 */
export async function verifyCredential(token: string, now: Date) {
  const checks: VerificationCheck[] = [];
  const fail = (check: VerificationCheck['check'], reason: string) => {
    checks.push({ check, ok: false, reason });
    return { verified: false, checks };
  };
  const parts = parseCompactJws(token.trim());
  if ('error' in parts) return fail('format', parts.error);
  checks.push({ check: 'format', ok: true });

  const { header, payload } = parts;
  if (header.alg !== 'ES256') return fail('key', `alg must be ES256 (the JWT proof format this issuer uses), got ${JSON.stringify(header.alg)}`);
  const keys = await credentialSigner().publicKeys();
  const key = keys.find((k) => k.kid === header.kid);
  if (!key)
    return fail('key', `the header's kid names no key this issuer publishes (${credentialUrls().jwks}); credentials of other issuers are not verified here`);
  checks.push({ check: 'key', ok: true });

  if (!verifyEs256(parts, publicKeyOf(key.jwk)))
    return fail('signature', 'the signature does not verify: the credential was altered or not signed by this issuer');
  checks.push({ check: 'signature', ok: true });

  const types = Array.isArray(payload.type) ? payload.type : [];
  const contexts = Array.isArray(payload['@context']) ? payload['@context'] : [];
  const issuerId = typeof payload.issuer === 'object' && payload.issuer ? (payload.issuer as { id?: unknown }).id : payload.issuer;
  if (contexts[0] !== VC_CONTEXT || contexts[1] !== OB_CONTEXT) return fail('credential', 'the @context is not the VC 2.0 and Open Badges 3.0 pair');
  if (!types.includes('VerifiableCredential') || !(types.includes('OpenBadgeCredential') || types.includes('AchievementCredential'))) {
    return fail('credential', 'not an OpenBadgeCredential');
  }
  if (issuerId !== credentialUrls().issuer || payload.iss !== issuerId) return fail('credential', 'the issuer is not this service');
  if (payload.jti !== payload.id) return fail('credential', 'the jti claim does not match the credential id');
  checks.push({ check: 'credential', ok: true });

  const validFrom = typeof payload.validFrom === 'string' ? Date.parse(payload.validFrom) : Number.NaN;
  if (Number.isNaN(validFrom)) return fail('validity', 'validFrom is missing or not a date-time');
  if (validFrom > now.getTime()) return fail('validity', `not valid before ${payload.validFrom as string}`);
  if (typeof payload.validUntil === 'string' && Date.parse(payload.validUntil) <= now.getTime()) return fail('validity', `expired at ${payload.validUntil}`);
  checks.push({ check: 'validity', ok: true });

  const status = payload.credentialStatus as { type?: unknown; statusPurpose?: unknown; statusListIndex?: unknown; statusListCredential?: unknown } | undefined;
  const listMatch = typeof status?.statusListCredential === 'string' ? /\/v1\/credentials\/status\/(\d{1,9})$/.exec(status.statusListCredential) : null;
  const index = Number(status?.statusListIndex);
  if (status?.type !== 'BitstringStatusListEntry' || status.statusPurpose !== 'revocation' || !listMatch || !Number.isInteger(index)) {
    return fail('status', 'credentialStatus is not a revocation entry of this issuer’s status lists');
  }
  const list = await getStatusList(Number(listMatch[1]));
  if (!list || index < 0 || index >= list.allocated) return fail('status', 'the status entry was never issued');
  if (list.revoked.includes(index)) return fail('status', 'revoked by the issuer');
  checks.push({ check: 'status', ok: true });

  const subject = payload.credentialSubject as { id?: unknown; achievement?: { id?: unknown; name?: unknown } } | undefined;
  return {
    verified: true,
    checks,
    credential: {
      id: payload.id,
      issuer: issuerId,
      validFrom: payload.validFrom,
      subject: subject?.id,
      achievement: { id: subject?.achievement?.id, name: subject?.achievement?.name },
    },
  };
}
