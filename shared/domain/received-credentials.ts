import { createHash } from 'node:crypto';
import { fetchRegistered, publicKeyFrom, statusBit, supportedAlgorithm, verifyWith } from '../credentials/foreign-keys';
import { parseCompactJws } from '../credentials/jws';
import { auditSubject, recordAudit } from '../data/audit';
import { allCompletionsOfLearner, completionIdOf, createCompletion, markCompletionVerified, type Completion } from '../data/completions';
import { getCourse } from '../data/courses';
import { getLearnerProfile } from '../data/learners';
import { getTrustedIssuer, type TrustedIssuer } from '../data/trusted-issuers';
import { invalid } from '../errors';
import type { Actor } from '../identity';
import { checkCompletionDate, fiscalYearOf, japanDate } from '../time/japan-time';

/**
 * Open Badges 3.0 in: a learner submits a credential they hold (the OB 3.0 JWT form); if
 * a trusted issuer (shared/domain/trusted-issuers.ts) signed it, it is valid today, not
 * revoked, about this learner and for an achievement the registry maps to a course, it
 * becomes a verified completion of that course with the credential as evidence. Each
 * refusal is a 422 with its reason, and nothing is written before every check passed.
 */
const refuse = (reason: string): never => {
  throw invalid(reason);
};

async function keysOf(issuer: TrustedIssuer): Promise<Record<string, unknown>[]> {
  if (issuer.keys) return issuer.keys;
  const fetched = await fetchRegistered(issuer.jwksUrl!);
  if (!fetched.ok) return refuse(`the issuer's keys could not be read: ${fetched.reason}`);
  try {
    const set = JSON.parse(fetched.text) as { keys?: unknown };
    if (Array.isArray(set.keys)) return set.keys.filter((k): k is Record<string, unknown> => !!k && typeof k === 'object');
  } catch {
    // falls through to the refusal
  }
  return refuse("the issuer's key set is not a JWK Set");
}

/** Verifies a compact JWS with the issuer's registered keys; returns its payload. Keys a token carries itself are never used. */
async function verifiedPayload(issuer: TrustedIssuer, token: string, what: string) {
  const parts = parseCompactJws(token);
  if ('error' in parts) return refuse(`${what}: ${parts.error}`);
  if (!supportedAlgorithm(parts.header.alg))
    return refuse(`${what}: unsupported signature algorithm ${JSON.stringify(parts.header.alg)} (ES256, ES384, RS256, EdDSA)`);
  const keys = await keysOf(issuer);
  const kid = parts.header.kid;
  const candidates = typeof kid === 'string' ? keys.filter((k) => k.kid === kid || (typeof k.kid === 'string' && kid.endsWith(`#${k.kid}`))) : keys;
  const valid = candidates.some((jwk) => {
    const key = publicKeyFrom(jwk);
    return key !== undefined && verifyWith(parts.header.alg as 'ES256', parts, key);
  });
  if (!valid) return refuse(`${what}: the signature does not verify with the keys registered for ${issuer.issuerId}`);
  return parts.payload;
}

async function checkStatus(issuer: TrustedIssuer, status: unknown) {
  if (status === undefined) return;
  const entries = Array.isArray(status) ? status : [status];
  for (const entry of entries as { type?: unknown; statusPurpose?: unknown; statusListIndex?: unknown; statusListCredential?: unknown }[]) {
    if (entry?.type !== 'BitstringStatusListEntry') return refuse('credentialStatus: only BitstringStatusListEntry is understood');
    const url = entry.statusListCredential;
    const index = Number(entry.statusListIndex);
    if (typeof url !== 'string' || !Number.isInteger(index) || index < 0) return refuse('credentialStatus: no status list URL or index');
    if (!issuer.statusListPrefix || !url.startsWith(issuer.statusListPrefix)) {
      return refuse(`credentialStatus: ${url} is not under the status list address registered for ${issuer.issuerId}`);
    }
    const fetched = await fetchRegistered(url);
    if (!fetched.ok) return refuse(`the status list could not be read: ${fetched.reason}`);
    const text = fetched.text.trim();
    let list: Record<string, unknown>;
    if (text.startsWith('{')) {
      try {
        list = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return refuse('the status list is not JSON');
      }
    } else list = await verifiedPayload(issuer, text, 'the status list');
    const subject = list.credentialSubject as { statusPurpose?: unknown; encodedList?: unknown } | undefined;
    if (subject?.statusPurpose !== entry.statusPurpose) return refuse('the status list is for another status purpose');
    const bit = statusBit(subject?.encodedList, index);
    if (typeof bit === 'object') return refuse(bit.reason);
    if (bit) return refuse(entry.statusPurpose === 'suspension' ? 'the issuer has suspended this credential' : 'the issuer has revoked this credential');
  }
}

/** OB 3.0 IdentityObject: the plain address, or "sha256$" + hex SHA-256 of address + salt. */
function namesEmail(subject: Record<string, unknown>, email: string): boolean {
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier : [];
  const addresses = [...new Set([email, email.toLowerCase()])];
  return identifiers.some((raw) => {
    const id = raw as { identityType?: unknown; hashed?: unknown; identityHash?: unknown; salt?: unknown };
    if (id?.identityType !== 'emailAddress' || typeof id.identityHash !== 'string') return false;
    if (id.hashed !== true) return addresses.some((a) => a === id.identityHash || a === String(id.identityHash).toLowerCase());
    const salt = typeof id.salt === 'string' ? id.salt : '';
    return addresses.some(
      (a) =>
        id.identityHash ===
        `sha256$${createHash('sha256')
          .update(a + salt)
          .digest('hex')}`,
    );
  });
}

export async function receiveCredential(actor: Actor, token: string, verifiedEmail: string | undefined, now: Date) {
  const learnerId = actor.sub;
  const unverified = parseCompactJws(token.trim());
  if ('error' in unverified) return refuse(`not an Open Badges 3.0 credential in its JWT form: ${unverified.error}`);
  const claimed = unverified.payload;
  const issuerClaim = claimed.issuer;
  const issuerId =
    typeof issuerClaim === 'string' ? issuerClaim : typeof issuerClaim === 'object' && issuerClaim ? (issuerClaim as { id?: unknown }).id : claimed.iss;
  if (typeof issuerId !== 'string') return refuse('the credential names no issuer');
  const issuer = await getTrustedIssuer(issuerId);
  if (!issuer) return refuse(`unknown issuer ${issuerId}: only issuers in the national office's registry are accepted`);

  const payload = await verifiedPayload(issuer, token.trim(), 'the credential');
  const types = Array.isArray(payload.type) ? payload.type : [];
  if (!types.includes('VerifiableCredential') || !(types.includes('OpenBadgeCredential') || types.includes('AchievementCredential'))) {
    return refuse('not an OpenBadgeCredential');
  }
  if (payload.iss !== undefined && payload.iss !== issuerId) return refuse('the iss claim and the issuer differ');
  const validFrom = Date.parse(String(payload.validFrom ?? ''));
  if (Number.isNaN(validFrom)) return refuse('validFrom is missing or not a date-time');
  if (validFrom > now.getTime() || (typeof payload.nbf === 'number' && payload.nbf * 1000 > now.getTime())) return refuse('the credential is not valid yet');
  const until = typeof payload.validUntil === 'string' ? Date.parse(payload.validUntil) : typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  if (until !== undefined && (Number.isNaN(until) || until <= now.getTime())) return refuse('the credential has expired');

  const subject = (payload.credentialSubject ?? {}) as Record<string, unknown>;
  if (!verifiedEmail) return refuse('your account has no verified e-mail address to match the credential’s subject');
  if (!namesEmail(subject, verifiedEmail)) return refuse('the credential is not about you: its subject does not name your verified e-mail address');
  const achievementId = (subject.achievement as { id?: unknown } | undefined)?.id;
  const mapping = issuer.achievements.find((a) => a.achievementId === achievementId);
  if (!mapping) return refuse(`the achievement ${String(achievementId)} of ${issuerId} stands for no course in the registry`);
  await checkStatus(issuer, payload.credentialStatus);

  const [course, profile] = await Promise.all([getCourse(mapping.courseId), getLearnerProfile(learnerId)]);
  if (!course) return refuse(`the registry maps the achievement to course ${mapping.courseId}, which does not exist`);
  if (!profile) return refuse('you have no profile: create it with PUT /v1/learners/me first');
  const completedOn = japanDate(
    new Date(typeof payload.awardedDate === 'string' && !Number.isNaN(Date.parse(payload.awardedDate)) ? payload.awardedDate : validFrom),
  );
  const dateProblem = checkCompletionDate(completedOn, japanDate(now));
  if (dateProblem) return refuse(dateProblem);
  // A badge is dated when it was issued, not when the course was completed: a completion of
  // the course already verified (reported by its provider, or an earlier badge) is the same one.
  const already = (await allCompletionsOfLearner(learnerId)).find((c) => c.courseId === course.courseId && c.status === 'verified');
  if (already)
    return { issuerId, achievementId: String(achievementId), courseId: course.courseId, completedOn: already.completedOn, outcome: 'unchanged' as const };

  const at = now.toISOString();
  const credentialId = typeof payload.id === 'string' ? payload.id : `${issuerId}#${completedOn}`;
  const completion: Completion = {
    completionId: completionIdOf(completedOn, course.courseId),
    learnerId,
    courseId: course.courseId,
    providerId: course.providerId,
    completedOn,
    fiscalYear: fiscalYearOf(completedOn),
    prefecture: profile.residence.prefecture,
    status: 'verified',
    reportedBy: 'learner',
    evidence: /^https:\/\//.test(credentialId) ? { url: credentialId } : { certificateNumber: credentialId.slice(0, 64) },
    recordedAt: at,
    verifiedAt: at,
    version: 1,
  };
  const result = await createCompletion(completion);
  let outcome: 'created' | 'verified' | 'unchanged' = 'created';
  if (!result.created) {
    outcome =
      result.existing.status === 'self-reported' && (await markCompletionVerified(learnerId, completedOn, course.courseId, at)) ? 'verified' : 'unchanged';
  }
  if (outcome !== 'unchanged') await recordAudit(actor, 'credential-received', auditSubject.learner(learnerId), now, { issuerId, courseId: course.courseId });
  return { issuerId, achievementId: String(achievementId), courseId: course.courseId, completedOn, outcome };
}
