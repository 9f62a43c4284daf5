import { actsFor } from '../access';
import {
  completionIdOf,
  createCompletion,
  getCompletion,
  listCompletionsOfLearner,
  markCompletionVerified,
  sharedMarkLookup,
  type Completion,
} from '../data/completions';
import { getCourse, type Course } from '../data/courses';
import { getLearnerProfile } from '../data/learners';
import { getProviderLink } from '../data/provider-links';
import { forbidden, invalid } from '../errors';
import type { Actor } from '../identity';
import type { CompletionInput } from '../schemas/completions';
import { checkCompletionDate, fiscalYearOf, japanDate } from '../time/japan-time';
import { auditSubject, recordAudit } from '../data/audit';
import { authorizeLearnerRead } from './learner-access';

export type { CompletionInput } from '../schemas/completions';

export type ReportOutcome = 'created' | 'verified' | 'unchanged';

/**
 * Why a provider may not report for a learner. One text whether the id is unknown, has no
 * profile or has not linked the provider (PUT /v1/learners/me/providers/{providerId}), so
 * the answer reveals none of these: a provider cannot probe who exists.
 */
export const NOT_REPORTABLE_LEARNER = 'the learner is not one you can report completions for (unknown, no profile, or not linked to you)';

/**
 * The checks every completion passes, for a single report and for each CSV row alike.
 * Returns the record to write, or the reason it is refused.
 */
export type CheckedCompletion = { ok: true; completion: Completion; course: Course } | { ok: false; reason: string; forbidden?: true };

export async function checkCompletion(actor: Actor, input: CompletionInput, now: Date, lookups = defaultLookups): Promise<CheckedCompletion> {
  const learnerId = actor.role === 'learner' ? actor.sub : input.learnerId;
  if (actor.role === 'learner' && input.learnerId !== undefined && input.learnerId !== actor.sub) {
    return { ok: false, reason: 'a learner reports only their own completions: omit learnerId or give your own', forbidden: true };
  }
  if (!learnerId) return { ok: false, reason: 'learnerId is required when a provider reports a completion' };
  const dateProblem = checkCompletionDate(input.completedOn, japanDate(now));
  if (dateProblem) return { ok: false, reason: dateProblem };
  const course = await lookups.course(input.courseId);
  if (!course) return { ok: false, reason: `no course ${input.courseId}` };
  if (actor.role === 'provider' && !actsFor(actor, { org: course.providerId, kind: 'provider' })) {
    return { ok: false, reason: `course ${input.courseId} belongs to another provider: report completions of your own courses only`, forbidden: true };
  }
  if (actor.role === 'learner' && !input.evidence?.certificateNumber && !input.evidence?.url) {
    return { ok: false, reason: 'a self-reported completion needs evidence: a certificate number or a URL' };
  }
  // A provider's report counts only for a learner who linked that provider; both reads are
  // made either way, so an unknown learner and an unlinked one look alike.
  const [prefecture, linked] = await Promise.all([
    lookups.learnerPrefecture(learnerId),
    actor.role === 'provider' ? lookups.linked(learnerId, course.providerId) : true,
  ]);
  if (actor.role === 'provider' && (!prefecture || !linked)) return { ok: false, reason: NOT_REPORTABLE_LEARNER };
  if (!prefecture) {
    return { ok: false, reason: `learner ${learnerId} has no profile yet: the learner creates it with PUT /v1/learners/me` };
  }
  const at = now.toISOString();
  const verified = actor.role === 'provider';
  const completion: Completion = {
    completionId: completionIdOf(input.completedOn, course.courseId),
    learnerId,
    courseId: course.courseId,
    providerId: course.providerId,
    completedOn: input.completedOn,
    fiscalYear: fiscalYearOf(input.completedOn),
    prefecture,
    status: verified ? 'verified' : 'self-reported',
    reportedBy: verified ? 'provider' : 'learner',
    ...(input.evidence && (input.evidence.certificateNumber || input.evidence.url) ? { evidence: input.evidence } : {}),
    recordedAt: at,
    ...(verified ? { verifiedAt: at } : {}),
    version: 1,
  };
  return { ok: true, completion, course };
}

export const defaultLookups = {
  course: getCourse,
  /** The learner's residence prefecture, or undefined if they have no profile. */
  learnerPrefecture: async (learnerId: string) => (await getLearnerProfile(learnerId))?.residence.prefecture,
  /** Whether the learner linked the provider: one consistent GetItem, so a revocation a moment ago holds. */
  linked: async (learnerId: string, providerId: string) => (await getProviderLink(learnerId, providerId)) !== undefined,
};

/**
 * Stores a checked completion. The same (learner, course, date) never makes a second
 * record: a repeat answers with the stored one; a provider's report of a self-reported
 * completion verifies it.
 */
export async function storeCompletion(
  actor: Actor,
  completion: Completion,
  sharedMark?: Promise<number | undefined>,
): Promise<{ outcome: ReportOutcome; completion: Completion }> {
  const result = await createCompletion(completion, sharedMark);
  if (result.created) return { outcome: 'created', completion };
  if (actor.role === 'provider' && result.existing.status === 'self-reported') {
    const verified = await markCompletionVerified(completion.learnerId, completion.completedOn, completion.courseId, completion.recordedAt);
    if (verified) return { outcome: 'verified', completion: verified };
    // Another report verified it first: answer with the record as it is now.
    const current = await getCompletion(completion.learnerId, completion.completedOn, completion.courseId);
    return { outcome: 'unchanged', completion: current ?? result.existing };
  }
  return { outcome: 'unchanged', completion: result.existing };
}

export async function reportCompletion(actor: Actor, input: CompletionInput, now: Date) {
  if (actor.role !== 'learner' && actor.role !== 'provider') throw forbidden('Only learners and training providers report completions.');
  // Looked up while the checks read the profile and the course: one round trip less per report.
  const learnerId = actor.role === 'learner' ? actor.sub : input.learnerId;
  const sharedMark = learnerId ? sharedMarkLookup(learnerId) : undefined;
  sharedMark?.catch(() => undefined);
  const checked = await checkCompletion(actor, input, now);
  if (!checked.ok) throw checked.forbidden ? forbidden(checked.reason) : invalid(checked.reason);
  return storeCompletion(actor, checked.completion, sharedMark);
}

/**
 * A learner's completions as the caller may see them: a provider sees only its own
 * courses' (the walk skips the others, so a page never shows where they are), and each
 * page that shows it anything is in the learner's access log.
 */
export async function listLearnerCompletions(actor: Actor, learnerId: string, cursor: string | undefined, limit: number, now: Date) {
  if (actor.role === 'provider') {
    const page = await listCompletionsOfLearner(learnerId, {
      cursor,
      limit,
      select: (items) => items.map((c) => (actsFor(actor, { org: c.providerId, kind: 'provider' }) ? c : undefined)),
    });
    if (page.items.length > 0) await recordAudit(actor, 'read-completions', auditSubject.learner(learnerId), now, { shown: page.items.length });
    return { completions: page.items, cursor: page.cursor };
  }
  await authorizeLearnerRead(actor, learnerId, 'completions', now);
  const page = await listCompletionsOfLearner(learnerId, { cursor, limit });
  return { completions: page.items, cursor: page.cursor };
}

/** What clients see of a completion: no internal bookkeeping. */
export const completionView = ({ version: _version, prefecture: _prefecture, ...completion }: Completion) => completion;
