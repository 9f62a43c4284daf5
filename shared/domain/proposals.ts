import { actsFor, isLearnerSelf, overseesPrefecture } from '../access';
import { auditProposalReads, auditSubject, recordAudit } from '../data/audit';
import { getLearnerContact, getLearnerProfile } from '../data/learners';
import { claimSeat, getProposal, proposalsForLearner, proposalsForOrganisation, seatsTaken, transitionProposal, type Proposal } from '../data/matching';
import { getOpening, markOpeningFilled } from '../data/openings';
import { conflict, notFound } from '../errors';
import type { Actor } from '../identity';
import type { Decision } from '../schemas/matching';
import { fiscalYearOf, japanDate } from '../time/japan-time';
import { anonymousHandle } from './candidates';
import { proposalView } from './match-runs';

/**
 * The proposal workflow after a round is published: the candidate accepts or declines,
 * then the organisation does; both accepting records the placement. Every step is one
 * conditional write and is audited. The organisation sees the candidate anonymously
 * until both have accepted.
 */
type Party = 'candidate' | 'organisation' | 'center';

/** The organisation's id and kind both: an employer id never stands for a municipality. */
const ownsProposal = (actor: Actor, proposal: Proposal) => actsFor(actor, { org: proposal.ownerOrg, kind: proposal.ownerKind });

function partyOf(actor: Actor, proposal: Proposal): Party | undefined {
  // Before publication a proposal is the center's (and admin's) alone.
  if (proposal.status === 'unpublished') return overseesPrefecture(actor, proposal.prefecture) ? 'center' : undefined;
  if (isLearnerSelf(actor, proposal.learnerId)) return 'candidate';
  if (ownsProposal(actor, proposal)) return 'organisation';
  if (overseesPrefecture(actor, proposal.prefecture)) return 'center';
  return undefined;
}

async function proposalFor(actor: Actor, proposalId: string): Promise<{ proposal: Proposal; party: Party }> {
  const proposal = await getProposal(proposalId);
  const party = proposal && partyOf(actor, proposal);
  if (!proposal || !party) throw notFound(`No proposal ${proposalId} for you.`);
  return { proposal, party };
}

/** What each party sees: the organisation gets a handle instead of the learner id until acceptance. */
async function viewFor(party: Party, proposal: Proposal) {
  const view = proposalView(proposal);
  if (party !== 'organisation' || proposal.status === 'accepted') return view;
  const { learnerId, ...rest } = view;
  return { ...rest, candidate: proposal.candidateHandle ?? (await anonymousHandle(proposal.openingId, learnerId)) };
}

export async function readProposal(actor: Actor, proposalId: string, now: Date) {
  let { proposal, party } = await proposalFor(actor, proposalId);
  // Repair on read: a seat taken by an accept whose second write never happened.
  if (proposal.status === 'candidate-accepted' && (await seatsTaken(proposal.openingId)).has(proposalId)) {
    proposal = (await completeAcceptance(proposal, now, undefined)) ?? proposal;
  }
  const view = await viewFor(party, proposal);
  if (party !== 'candidate') await auditProposalReads(actor, [proposal], now);
  if (party === 'organisation' && proposal.status === 'accepted') {
    await recordAudit(actor, 'read-contact', auditSubject.learner(proposal.learnerId), now, { proposalId });
    return { ...view, contact: (await getLearnerContact(proposal.learnerId)) ?? null };
  }
  return view;
}

export async function listOwnProposals(actor: Actor, cursor: string | undefined, limit: number, now: Date) {
  const party: Party = actor.role === 'learner' ? 'candidate' : 'organisation';
  const request = {
    cursor,
    limit,
    select: (proposals: Proposal[]) => proposals.map((p) => (party === 'candidate' || ownsProposal(actor, p) ? p : undefined)),
  };
  const page = actor.role === 'learner' ? await proposalsForLearner(actor.sub, request) : await proposalsForOrganisation(actor.org ?? '', request);
  if (party === 'organisation') await auditProposalReads(actor, page.items, now);
  const proposals = await Promise.all(page.items.map((p) => viewFor(party, p)));
  return { proposals, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

async function completeAcceptance(proposal: Proposal, now: Date, actor: Actor | undefined): Promise<Proposal | undefined> {
  const at = now.toISOString();
  const acceptedOn = japanDate(now);
  const decision = { by: 'organisation' as const, decision: 'accept' as const, at };
  const accepted = await transitionProposal(proposal.proposalId, 'candidate-accepted', 'accepted', decision, {
    acceptedOn,
    fiscalYear: fiscalYearOf(acceptedOn),
  });
  if (accepted) {
    const opening = await getOpening(proposal.openingId);
    const filled = !!opening && (await seatsTaken(opening.openingId)).size >= opening.headcount;
    if (filled) await markOpeningFilled(opening.openingId, now);
    if (actor) {
      await recordAudit(actor, 'proposal-accepted', auditSubject.proposal(proposal.proposalId), now, { openingId: proposal.openingId });
      if (filled) await recordAudit(actor, 'opening-status', auditSubject.opening(proposal.openingId), now, { status: 'filled' });
    }
  }
  return accepted;
}

/**
 * After a transition's condition failed: a retry of the same decision (its first answer
 * lost) finds the target status and succeeds; anything else is a real conflict.
 */
async function landedAlready(proposalId: string, status: Proposal['status']): Promise<Proposal> {
  const current = await getProposal(proposalId);
  if (current?.status === status) return current;
  throw conflict('The proposal changed meanwhile; reload it.');
}

export async function decideProposal(actor: Actor, proposalId: string, decision: Decision, now: Date) {
  const { proposal, party } = await proposalFor(actor, proposalId);
  const at = now.toISOString();
  if (party === 'candidate') {
    if (proposal.status === (decision === 'accept' ? 'candidate-accepted' : 'candidate-declined')) return viewFor(party, proposal);
    if (proposal.status !== 'proposed') throw conflict(`You have already answered this proposal (${proposal.status}).`);
    if (decision === 'accept' && !(await getLearnerProfile(actor.sub))?.consent.matching) {
      throw conflict('You withdrew your consent to matching; give it again in your profile to accept proposals.');
    }
    const next = decision === 'accept' ? 'candidate-accepted' : 'candidate-declined';
    const updated = (await transitionProposal(proposalId, 'proposed', next, { by: 'candidate', decision, at })) ?? (await landedAlready(proposalId, next));
    await recordAudit(actor, `proposal-${next}`, auditSubject.proposal(proposalId), now);
    return viewFor(party, updated);
  }
  if (party !== 'organisation') throw notFound(`No proposal ${proposalId} for you to decide.`);
  if (proposal.status === 'proposed') throw conflict('Waiting for the candidate to answer first.');
  if (proposal.status === 'accepted' && decision === 'accept') return readProposal(actor, proposalId, now);
  if (proposal.status === 'organisation-declined' && decision === 'decline') return viewFor(party, proposal);
  if (proposal.status !== 'candidate-accepted') throw conflict(`This proposal is closed (${proposal.status}).`);
  if (decision === 'decline') {
    const declined =
      (await transitionProposal(proposalId, 'candidate-accepted', 'organisation-declined', { by: 'organisation', decision, at })) ??
      (await landedAlready(proposalId, 'organisation-declined'));
    await recordAudit(actor, 'proposal-organisation-declined', auditSubject.proposal(proposalId), now);
    return viewFor(party, declined);
  }
  const opening = await getOpening(proposal.openingId);
  if (!opening || !(await claimSeat(opening.openingId, proposalId, opening.headcount))) {
    throw conflict('The opening has no seat left (filled or closed).');
  }
  await completeAcceptance(proposal, now, actor);
  return readProposal(actor, proposalId, now);
}
