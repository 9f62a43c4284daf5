import { randomBytes } from 'node:crypto';
import { actsFor } from '../access';
import {
  bumpDerivationGeneration,
  decideAccreditationRequest,
  getAccreditation,
  getAccreditationRequest,
  listAccreditationRequests,
  putAccreditationRequest,
  writeAccreditation,
  type Accreditation,
  type AccreditationRequest,
  type RequestStatus,
} from '../data/accreditations';
import { auditSubject, recordAudit } from '../data/audit';
import { getCourse, type Course } from '../data/courses';
import { conflict, forbidden, invalid, notFound, serviceBusy } from '../errors';
import type { Actor } from '../identity';
import { accreditationSchemes } from '../rules/bundled';
import type { CourseAccreditationView } from '../schemas/courses';
import { addDays, isValidIsoDate, japanDate } from '../time/japan-time';

/**
 * Accreditation: a course counts toward the target only under a validity period the
 * national office (admin) granted, attesting the DSS items and levels the course had when
 * its provider asked. Its provider asks; admin approves or rejects with a reason; every
 * step is audited in the course's trail. Editing an accredited course's items or levels
 * suspends it (the open periods end the day before) until admin approves a new request.
 * Evidence dated inside a period stays counted whatever happens later.
 */
export const OPEN_ENDED = '9999-12-31';

const newRequestId = () => `acr_${randomBytes(10).toString('hex')}`;

/** The DSS mapping an accreditation attests, in a canonical order (to compare two). */
export const mappingOf = (c: Pick<Course, 'literacyItems' | 'skills'>) => ({
  literacyItems: [...c.literacyItems].sort((a, b) => a.item.localeCompare(b.item)),
  skills: [...c.skills].sort((a, b) => a.skill.localeCompare(b.skill)),
});

function checkValidity(validFrom: string, validTo: string) {
  if (!isValidIsoDate(validFrom)) throw invalid(`validFrom: ${validFrom} is not a calendar date`);
  if (validTo !== OPEN_ENDED && !isValidIsoDate(validTo)) throw invalid(`validTo: ${validTo} is not a calendar date`);
  if (validTo < validFrom) throw invalid('validTo is before validFrom');
}

/** A provider asks admin to accredit one of its courses under a scheme; the request snapshots the course's mapping. */
export async function requestAccreditation(actor: Actor, courseId: string, body: { scheme: string; validFrom: string; validTo?: string }, now: Date) {
  const course = await getCourse(courseId, { consistent: true });
  if (!course) throw notFound(`No course ${courseId}.`);
  if (!actsFor(actor, { org: course.providerId, kind: 'provider' })) throw forbidden("Only the course's own provider asks for its accreditation.");
  if (!accreditationSchemes.some((s) => s.id === body.scheme)) {
    throw invalid(
      `scheme: "${body.scheme}" is not an accreditation scheme; GET /v1/counting-rules lists them (${accreditationSchemes.map((s) => s.id).join(', ')})`,
    );
  }
  const validTo = body.validTo ?? OPEN_ENDED;
  checkValidity(body.validFrom, validTo);
  const request: AccreditationRequest = {
    requestId: newRequestId(),
    courseId,
    providerId: course.providerId,
    scheme: body.scheme,
    validFrom: body.validFrom,
    validTo,
    catalogVersion: course.catalogVersion,
    certification: course.certification,
    ...mappingOf(course),
    status: 'pending',
    requestedBy: actor.sub,
    requestedAt: now.toISOString(),
  };
  if (!(await putAccreditationRequest(request))) throw serviceBusy('Request ids collided; retry the same request.');
  await recordAudit(actor, 'accreditation-requested', auditSubject.course(courseId), now, { requestId: request.requestId, scheme: request.scheme });
  return request;
}

export async function accreditationRequests(status: RequestStatus, cursor: string | undefined, limit: number) {
  const page = await listAccreditationRequests(status, { cursor, limit });
  return { requests: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/**
 * Admin decides a request. The decision is committed on the request (once: a pending
 * request moves); an approval then adds the validity period to the course's
 * accreditation, idempotently by request id, so repeating the same decision after a
 * crash finishes it. Approving a request whose course changed since is refused: the
 * provider asks again for what the course is now.
 */
export async function decideAccreditation(
  actor: Actor,
  requestId: string,
  body: { decision: 'approve' | 'reject'; reason: string; validFrom?: string; validTo?: string },
  now: Date,
): Promise<{ request: AccreditationRequest; granted: boolean }> {
  const request = await getAccreditationRequest(requestId);
  if (!request) throw notFound(`No accreditation request ${requestId}.`);
  const validity = { validFrom: body.validFrom ?? request.validFrom, validTo: body.validTo ?? request.validTo };
  checkValidity(validity.validFrom, validity.validTo);
  if (request.status !== 'pending') {
    if (request.decision?.decision !== body.decision) throw conflict(`Request ${requestId} was already ${request.status}.`);
    // The same decision again: finish an approval a crash may have left half done.
    if (request.status === 'approved') await grant(request, now);
    return { request, granted: false };
  }
  if (body.decision === 'approve') {
    const course = await getCourse(request.courseId, { consistent: true });
    if (!course) throw notFound(`No course ${request.courseId}.`);
    if (JSON.stringify(mappingOf(course)) !== JSON.stringify(mappingOf(request)) || course.certification !== request.certification) {
      throw conflict('The course changed since this request: reject it, and the provider asks again for the course as it is now.');
    }
  }
  const decided = await decideAccreditationRequest(request, { decision: body.decision, reason: body.reason, by: actor.sub, at: now.toISOString() }, validity);
  if (!decided) return decideAccreditation(actor, requestId, body, now);
  await recordAudit(actor, body.decision === 'approve' ? 'accreditation-approved' : 'accreditation-rejected', auditSubject.course(request.courseId), now, {
    requestId,
    reason: body.reason,
    ...(body.decision === 'approve' ? { validFrom: validity.validFrom, validTo: validity.validTo } : {}),
  });
  if (decided.status === 'approved') await grant(decided, now);
  return { request: decided, granted: decided.status === 'approved' };
}

/** Adds an approved request's period to the course's accreditation (once), and tells derivations their input changed. */
async function grant(request: AccreditationRequest, now: Date): Promise<void> {
  await updateAccreditation(request.courseId, request.providerId, now, (current) => {
    if (current.periods.some((p) => p.requestId === request.requestId)) return undefined;
    return [
      ...current.periods,
      {
        requestId: request.requestId,
        scheme: request.scheme,
        certification: request.certification,
        literacyItems: request.literacyItems,
        skills: request.skills,
        validFrom: request.validFrom,
        validTo: request.validTo,
        grantedBy: request.decision!.by,
        grantedAt: request.decision!.at,
      },
    ];
  });
  // A course edited while the decision was being made (checked before it) must not stay
  // accredited for a mapping it no longer teaches: the edit's suspension found no period yet.
  const course = await getCourse(request.courseId, { consistent: true });
  if (course && JSON.stringify(mappingOf(course)) !== JSON.stringify(mappingOf(request))) {
    await suspendAccreditation({ sub: 'kanryu', role: 'admin' }, request.courseId, 'the course changed while its accreditation was decided', now);
  }
  await bumpDerivationGeneration(now);
}

/**
 * Ends every period still open today on the day before: evidence dated from the day of
 * the change on no longer counts until admin approves a new request (the course may have
 * been taught as changed that day). A course without an open period is left as it is.
 */
export async function suspendAccreditation(actor: Actor, courseId: string, because: string, now: Date): Promise<boolean> {
  const today = japanDate(now);
  const open = (p: Accreditation['periods'][number]) => p.validTo >= today && !p.suspendedAt;
  let suspended = false;
  await updateAccreditation(courseId, undefined, now, (current) => {
    if (!current.periods.some(open)) return undefined;
    suspended = true;
    // A period that had not begun by yesterday ends before its start: it attests nothing.
    const yesterday = addDays(today, -1);
    return current.periods.map((p) =>
      open(p)
        ? { ...p, validTo: p.validFrom > yesterday ? addDays(p.validFrom, -1) : yesterday, suspendedAt: now.toISOString(), suspendedBecause: because }
        : p,
    );
  });
  if (suspended) await recordAudit(actor, 'accreditation-suspended', auditSubject.course(courseId), now, { reason: because });
  return suspended;
}

/** A read-modify-write of the course's accreditation under its version (retried a few times against concurrent changes). */
async function updateAccreditation(
  courseId: string,
  providerId: string | undefined,
  now: Date,
  change: (current: Pick<Accreditation, 'periods'>) => Accreditation['periods'] | undefined,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getAccreditation(courseId);
    if (!current && !providerId) return;
    const periods = change(current ?? { periods: [] });
    if (!periods) return;
    const next: Accreditation = {
      courseId,
      providerId: current?.providerId ?? providerId!,
      periods,
      version: (current?.version ?? 0) + 1,
      updatedAt: now.toISOString(),
    };
    if (await writeAccreditation(next, current)) return;
  }
  throw serviceBusy('The accreditation was being changed at the same time; retry the same request.');
}

/** A course's accreditation as anyone sees it (who granted it is in the audit trail and admin's request list). */
export async function accreditationOf(courseId: string, today: string): Promise<CourseAccreditationView> {
  const accreditation = await getAccreditation(courseId);
  const periods = (accreditation?.periods ?? []).map(({ requestId: _r, grantedBy: _b, ...p }) => p);
  const last = periods[periods.length - 1];
  const status = !last ? 'none' : last.suspendedAt ? 'suspended' : last.validTo < today ? 'expired' : 'accredited';
  return { status, periods };
}
