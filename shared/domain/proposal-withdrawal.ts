import { forEachConcurrently } from '../concurrency';
import type { LearnerProfile } from '../data/learners';
import { proposalsForLearner, seatsTaken, transitionProposal, type Proposal, type ProposalStatus, type WithdrawalReason } from '../data/matching';
import { getPersonClaim } from '../data/person-claims';
import { consentsToMatching, isCandidateFor, isExclusiveStyle } from './visibility';

/**
 * A proposal stands only while its candidate is still one for its opening: the consent
 * scope rule on the profile as it is now, and no other job held. Publishing a round asks
 * this of every proposal, and a profile change or an erasure of every open one.
 */
export function withdrawalReasonFor(profile: (LearnerProfile & { holdsPlacement?: boolean }) | undefined, proposal: Proposal): WithdrawalReason | undefined {
  if (!profile) return 'account-erased';
  if (!consentsToMatching(profile)) return 'consent-withdrawn';
  if (profile.holdsPlacement && isExclusiveStyle(proposal.workStyle)) return 'placed-elsewhere';
  if (!isCandidateFor(profile, { workStyle: proposal.workStyle, workplace: { prefecture: proposal.workplacePrefecture } })) return 'no-longer-eligible';
  return undefined;
}

/** Proposals a candidate can still act on (or has accepted and the organisation has not yet answered). */
const OPEN: readonly ProposalStatus[] = ['proposed', 'candidate-accepted'];

/**
 * Withdraws the learner's open proposals that no longer stand under `profile` (undefined:
 * the account was erased). Each is one conditional write from the status it was read in;
 * a proposal that moved meanwhile is left to its new status.
 */
export async function withdrawStaleProposals(learnerId: string, profile: LearnerProfile | undefined): Promise<number> {
  const open: Proposal[] = [];
  let cursor: string | undefined;
  do {
    const page = await proposalsForLearner(learnerId, {
      cursor,
      limit: 100,
      select: (proposals) => proposals.map((p) => (OPEN.includes(p.status) ? p : undefined)),
    });
    open.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  if (open.length === 0) return 0;
  const claim = await getPersonClaim(learnerId);
  let withdrawn = 0;
  await forEachConcurrently(open, 8, async (proposal) => {
    // A job held through this very proposal is its own accept under way, not another job.
    const holdsPlacement = !!claim && !claim.endedOn && claim.proposalId !== proposal.proposalId;
    const reason = withdrawalReasonFor(profile && { ...profile, holdsPlacement }, proposal);
    if (!reason) return;
    // An accept that took its seat and stopped before its last write is a placement: the next read completes it.
    if (proposal.status === 'candidate-accepted' && (await seatsTaken(proposal.openingId)).has(proposal.proposalId)) return;
    if (await transitionProposal(proposal.proposalId, proposal.status, 'withdrawn', undefined, { withdrawnReason: reason })) withdrawn++;
  });
  return withdrawn;
}
