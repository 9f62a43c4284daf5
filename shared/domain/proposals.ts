import { actsFor, isLearnerSelf, overseesPrefecture } from '../access';
import { auditProposalReads, auditSubject, recordAudit } from '../data/audit';
import { getLearnerContact, getLearnerProfile } from '../data/learners';
import {
  claimSeat,
  getProposal,
  indexProposalForOrganisation,
  proposalsForLearner,
  proposalsForOrganisation,
  releaseSeat,
  seatsTaken,
  setPlacementEnded,
  transitionProposal,
  type Proposal,
} from '../data/matching';
import { claimPerson, endPersonClaim, getPersonClaim, heldPeople, releasePerson } from '../data/person-claims';
import { getOpening, markOpeningFilled } from '../data/openings';
import { conflict, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import type { Decision } from '../schemas/matching';
import { fiscalYearOf, japanDate } from '../time/japan-time';
import { anonymousHandle } from './candidates';
import { proposalView } from './match-runs';
import { isExclusiveStyle } from './visibility';

/**
 * The proposal workflow after a round is published: the candidate accepts or declines,
 * then the organisation does; both accepting records the placement. Every step is one
 * conditional write and is audited. The organisation sees the candidate anonymously
 * until both have accepted.
 */
type Party = 'candidate' | 'organisation' | 'center';

/** The organisation's id and kind both: an employer id never stands for a municipality. */
const ownsProposal = (actor: Actor, proposal: Proposal) => actsFor(actor, { org: proposal.ownerOrg, kind: proposal.ownerKind });

/** The candidate said yes: from then on (and only then) the organisation sees the proposal. */
const candidateAccepted = (proposal: Proposal) => proposal.decisions.some((d) => d.by === 'candidate' && d.decision === 'accept');

function partyOf(actor: Actor, proposal: Proposal): Party | undefined {
  // Before publication a proposal is the center's (and admin's) alone.
  if (proposal.status === 'unpublished') return overseesPrefecture(actor, proposal.prefecture) ? 'center' : undefined;
  if (isLearnerSelf(actor, proposal.learnerId)) return 'candidate';
  if (ownsProposal(actor, proposal)) return candidateAccepted(proposal) ? 'organisation' : undefined;
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
    select: (proposals: Proposal[]) => proposals.map((p) => (party === 'candidate' || (ownsProposal(actor, p) && candidateAccepted(p)) ? p : undefined)),
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
  if (!accepted) {
    // The proposal moved meanwhile (withdrawn, declined): unless another attempt accepted
    // it, the seat and the person it took go back.
    if ((await getProposal(proposal.proposalId))?.status !== 'accepted') await releaseHeld(proposal);
    return undefined;
  }
  const opening = await getOpening(proposal.openingId);
  const filled = !!opening && (await seatsTaken(opening.openingId)).size >= opening.headcount;
  if (filled) await markOpeningFilled(opening.openingId, now);
  if (actor) {
    await recordAudit(actor, 'proposal-accepted', auditSubject.proposal(proposal.proposalId), now, { openingId: proposal.openingId });
    if (filled) await recordAudit(actor, 'opening-status', auditSubject.opening(proposal.openingId), now, { status: 'filled' });
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
    if (proposal.status === (decision === 'accept' ? 'candidate-accepted' : 'candidate-declined')) {
      // A retry: the first answer may have stopped before the organisation's list had it.
      if (decision === 'accept') await indexProposalForOrganisation(proposal);
      return viewFor(party, proposal);
    }
    if (proposal.status === 'withdrawn') throw conflict(`This proposal was withdrawn (${proposal.withdrawnReason}).`);
    if (proposal.status !== 'proposed') throw conflict(`You have already answered this proposal (${proposal.status}).`);
    if (decision === 'accept') await assertMayAccept(actor, proposal);
    const next = decision === 'accept' ? 'candidate-accepted' : 'candidate-declined';
    const updated = (await transitionProposal(proposalId, 'proposed', next, { by: 'candidate', decision, at })) ?? (await landedAlready(proposalId, next));
    if (next === 'candidate-accepted') await indexProposalForOrganisation(updated);
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
    // An earlier accept of this proposal that stopped half way may hold the seat and the person.
    await releaseHeld(proposal);
    await recordAudit(actor, 'proposal-organisation-declined', auditSubject.proposal(proposalId), now);
    return viewFor(party, declined);
  }
  // The person first, then the seat, each one conditional write: two rounds' accepts for
  // the same person cannot both win, and a seat is never taken for someone already placed.
  const exclusive = isExclusiveStyle(proposal.workStyle);
  if (exclusive && !(await claimPersonFor(proposal, now))) {
    await transitionProposal(proposalId, 'candidate-accepted', 'withdrawn', undefined, { withdrawnReason: 'placed-elsewhere' });
    throw conflict('The candidate has taken another job meanwhile; this proposal is withdrawn.');
  }
  const opening = await getOpening(proposal.openingId);
  if (!opening || !(await claimSeat(opening.openingId, proposalId, opening.headcount))) {
    if (exclusive) await releasePerson(proposal.learnerId, proposalId);
    throw conflict('The opening has no seat left (filled or closed).');
  }
  await completeAcceptance(proposal, now, actor);
  return readProposal(actor, proposalId, now);
}

/** What an accept of this proposal may have taken, given back (each only if this proposal holds it). */
async function releaseHeld(proposal: Proposal) {
  await releaseSeat(proposal.openingId, proposal.proposalId);
  if (isExclusiveStyle(proposal.workStyle)) await releasePerson(proposal.learnerId, proposal.proposalId);
}

/** The candidate may say yes: consenting, and not holding another job when this is one. */
async function assertMayAccept(actor: Actor, proposal: Proposal) {
  if (!(await getLearnerProfile(actor.sub))?.consent.matching) {
    throw conflict('You withdrew your consent to matching; give it again in your profile to accept proposals.');
  }
  if (isExclusiveStyle(proposal.workStyle) && (await heldPeople([actor.sub])).has(actor.sub)) {
    throw conflict('You hold a job placement; it must end (recorded by the organisation or the center) before you accept another.');
  }
}

/**
 * How long an accept may hold the person before its seat claim counts as abandoned: far
 * beyond a request's 30 s, so a live accept is never overtaken.
 */
const ABANDONED_CLAIM_MS = 10 * 60_000;

/**
 * Claims the person for this proposal. A claim another proposal holds is taken over only
 * when that accept was abandoned between its two writes: long ago, never accepted, and no
 * seat taken (a seat taken is an accept whose last write is repaired on read).
 */
async function claimPersonFor(proposal: Proposal, now: Date): Promise<boolean> {
  const claim = { learnerId: proposal.learnerId, proposalId: proposal.proposalId, openingId: proposal.openingId, claimedAt: now.toISOString() };
  if (await claimPerson(claim)) return true;
  const held = await getPersonClaim(proposal.learnerId);
  if (!held || held.endedOn || now.getTime() - Date.parse(held.claimedAt) < ABANDONED_CLAIM_MS) return false;
  const holder = await getProposal(held.proposalId);
  if (holder?.status === 'accepted' || (await seatsTaken(held.openingId)).has(held.proposalId)) return false;
  return claimPerson(claim, held.proposalId);
}

/**
 * Records the last day of an accepted placement (the organisation or the center): a job
 * frees the person for other jobs from then on. The same end again is a no-op.
 */
export async function endPlacement(actor: Actor, proposalId: string, endedOn: string, now: Date) {
  const { proposal, party } = await proposalFor(actor, proposalId);
  if (party !== 'organisation' && party !== 'center') throw notFound(`No placement ${proposalId} for you to end.`);
  if (proposal.status !== 'accepted') throw conflict(`Only an accepted placement can end; this proposal is ${proposal.status}.`);
  if (proposal.endedOn && proposal.endedOn !== endedOn) throw conflict(`This placement already ended on ${proposal.endedOn}.`);
  if (endedOn < proposal.acceptedOn! || endedOn > japanDate(now)) {
    throw invalid(`The end date must be between the day it was accepted (${proposal.acceptedOn}) and today.`);
  }
  if (!proposal.endedOn) {
    await setPlacementEnded(proposalId, endedOn);
    await recordAudit(actor, 'placement-ended', auditSubject.proposal(proposalId), now, { endedOn });
  }
  if (isExclusiveStyle(proposal.workStyle)) await endPersonClaim(proposal.learnerId, proposalId, endedOn);
  return readProposal(actor, proposalId, now);
}
