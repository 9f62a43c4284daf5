import { getCourses } from '../data/courses';
import { auditSubject, recordAudit } from '../data/audit';
import { listTrustedIssuers, putTrustedIssuer, type TrustedIssuer } from '../data/trusted-issuers';
import { invalid } from '../errors';
import type { Actor } from '../identity';
import type { TrustedIssuerInput } from '../schemas/trusted-issuers';
import { publicKeyFrom } from '../credentials/foreign-keys';

/**
 * The issuers whose Open Badges the national office accepts as evidence of a course
 * (POST /v1/learners/me/credentials/received). Admin adds or replaces an issuer's entry:
 * its id (the credentials' issuer), its public keys inline or the https URL of its JWK
 * Set, the https prefix its status lists live under, and which achievement stands for
 * which course.
 */
export async function saveTrustedIssuer(actor: Actor, input: TrustedIssuerInput, now: Date) {
  if ((input.keys === undefined) === (input.jwksUrl === undefined))
    throw invalid('give either keys (JWKs inline) or jwksUrl (https), not both and not neither');
  const unusable = (input.keys ?? []).findIndex((jwk) => publicKeyFrom(jwk) === undefined);
  if (unusable >= 0) throw invalid(`keys[${unusable}] is not a usable public JWK`);
  const courses = await getCourses(input.achievements.map((a) => a.courseId));
  const unknown = input.achievements.find((a) => !courses.has(a.courseId));
  if (unknown) throw invalid(`no course ${unknown.courseId}`);
  const entry: TrustedIssuer = {
    issuerId: input.issuerId,
    name: input.name,
    ...(input.keys ? { keys: input.keys.map(({ d: _private, ...publicPart }) => publicPart) } : {}),
    ...(input.jwksUrl ? { jwksUrl: input.jwksUrl } : {}),
    ...(input.statusListPrefix ? { statusListPrefix: input.statusListPrefix } : {}),
    achievements: input.achievements,
    updatedAt: now.toISOString(),
    updatedBy: actor.sub,
  };
  const created = await putTrustedIssuer(entry);
  await recordAudit(actor, created ? 'trusted-issuer-added' : 'trusted-issuer-replaced', auditSubject.trustedIssuers(), now, { issuerId: input.issuerId });
  return { created, entry };
}

export async function trustedIssuers() {
  return { issuers: await listTrustedIssuers() };
}
