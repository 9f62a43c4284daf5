import { allCompletionsOfLearner, removeCompletionEvidence } from '../data/completions';
import { deleteStoredAnswersOf } from '../data/idempotency';
import { auditSubject, listAudit, recordAudit, type AuditEvent } from '../data/audit';
import { deleteLearnerPersonalItems, getLearnerContact, getLearnerProfile } from '../data/learners';
import { loadEvidence, profileOf } from './evidence';
import { proposalsForLearner } from '../data/matching';
import { candidateListsOfLearner, candidateOutcomesOfLearner, eraseCycleRecordsOf, getCycle } from '../data/match-cycles';
import { deletePublishedPools, ERASURE_BASIS, getPublishedPools, withdrawFromPools } from '../data/pools';
import { qualificationsOfLearner } from '../data/qualifications';
import { identityKey, type Actor } from '../identity';
import { everyStylePoolOf, placePool } from './candidate-pool';
import { withdrawStaleProposals } from './proposal-withdrawal';
import { PREFECTURE_CODES } from '../ids';
import { forEachConcurrently } from '../concurrency';
import { providerLinksView, unlinkEveryProvider } from './provider-links';
import { revokeCredentialsOf } from './credentials';

/**
 * A learner's rights under Japan's APPI: see everything held about them, and have their
 * personal data erased. Erasure removes the profile, contact details, consent history,
 * skills, candidate-pool entries, provider links, completion evidence, and matching cycles' rank lists,
 * participation and outcomes. What stays are records keyed by
 * the account's random id with no personal data in them (completions without evidence,
 * qualifications, proposals, audit entries), so the anonymous counts stay exact and equal
 * to a recount.
 */
async function allPages<T>(fetch: (cursor: string | undefined) => Promise<{ items: T[]; cursor: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/** The learner's outcome in each cycle whose result was published (before that, nobody is told, the learner included). */
async function publishedCycleOutcomesOf(learnerId: string) {
  const found = await candidateOutcomesOfLearner(learnerId);
  const published = new Set<string>();
  await forEachConcurrently([...new Set(found.map((f) => f.cycleId))], 8, async (cycleId) => {
    if ((await getCycle(cycleId))?.publishedAt) published.add(cycleId);
  });
  return found
    .filter((f) => published.has(f.cycleId))
    .map(({ cycleId, outcome }) => ({
      cycleId,
      listUsed: outcome.source,
      ...(outcome.matched ? { matchedOpening: outcome.matched } : {}),
      reasons: outcome.reasons,
    }));
}

export async function exportOwnData(actor: Actor, now: Date) {
  const learnerId = actor.sub;
  const [profile, contact, providerLinks, evidence, completions, qualifications, proposals, audit, rankLists, cycleOutcomes] = await Promise.all([
    getLearnerProfile(learnerId),
    getLearnerContact(learnerId),
    providerLinksView(learnerId),
    loadEvidence(learnerId),
    allCompletionsOfLearner(learnerId),
    qualificationsOfLearner(learnerId),
    allPages((cursor) => proposalsForLearner(learnerId, { cursor, limit: 100, select: (proposals) => proposals })),
    allPages<AuditEvent>((cursor) => listAudit(auditSubject.learner(learnerId), { cursor, limit: 100 })),
    candidateListsOfLearner(learnerId),
    publishedCycleOutcomesOf(learnerId),
  ]);
  await recordAudit(actor, 'personal-data-exported', auditSubject.learner(learnerId), now);
  return {
    learnerId,
    exportedAt: now.toISOString(),
    profile: profile ?? null,
    contact: contact ?? null,
    /** The providers you allowed to report your completions (PUT/DELETE /v1/learners/me/providers/{providerId}). */
    providerLinks,
    completions,
    // Derived from the completions above, as GET /v1/learners/{id}/skills explains it.
    skills: { currentVersion: evidence.current ?? null, tags: profileOf(evidence).versions.flatMap((v) => v.tags) },
    qualifications,
    proposals,
    /** Your rank lists of matching cycles' openings (PUT /v1/match-cycles/{cycleId}/rank-lists/me). */
    rankLists: rankLists.map(({ learnerId: _learnerId, ...list }) => list),
    /** What each matching cycle you were in gave you, and why for every opening on your list (GET /v1/match-cycles/{cycleId} explains it in words). */
    cycleOutcomes,
    /** Who read or changed data about you, and when. */
    accessLog: audit,
  };
}

export async function eraseOwnData(actor: Actor, now: Date) {
  const learnerId = actor.sub;
  // Every pool the learner could be in, not only the ones recorded: erasure must not depend on derived state.
  const published = await getPublishedPools(learnerId);
  const everyPool = [...new Set([...(published?.pools ?? []), ...PREFECTURE_CODES.map(placePool), ...everyStylePoolOf(learnerId)])];
  await withdrawFromPools(learnerId, everyPool, ERASURE_BASIS);
  await withdrawStaleProposals(learnerId, undefined);
  await deletePublishedPools(learnerId);
  await eraseCycleRecordsOf(learnerId);
  const completions = await allCompletionsOfLearner(learnerId);
  await forEachConcurrently(
    completions.filter((c) => c.evidence),
    8,
    (c) => removeCompletionEvidence(learnerId, c.completedOn, c.courseId),
  );
  // The profile goes first: an answer stored after the scan below sees it gone and removes itself.
  await deleteLearnerPersonalItems(learnerId);
  await unlinkEveryProvider(learnerId);
  // Their credentials stop verifying: each one's bit is set in its status list.
  await revokeCredentialsOf(learnerId, 'erased', now);
  await deleteStoredAnswersOf(identityKey(actor), learnerId);
  await recordAudit(actor, 'personal-data-erased', auditSubject.learner(learnerId), now, { completions: completions.length });
  return {
    learnerId,
    erasedAt: now.toISOString(),
    kept: 'anonymous records without personal data (completion dates and courses, qualifications, proposals, audit entries)',
  };
}
