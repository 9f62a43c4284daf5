import { forEachConcurrently } from '../concurrency';
import {
  cycleOpenings,
  getCandidateList,
  getCandidateOutcome,
  getOpeningOutcomes,
  type CandidateReason,
  type MatchCycle,
  type RankerOutcome,
} from '../data/match-cycles';
import { getOpening } from '../data/openings';
import type { Actor } from '../identity';
import { anonymousHandle } from './candidates';
import { cycleFor, LIST_TEXT, listText, runsCycle, showsOpeningToOverseer, statusOf } from './match-cycles';
import { ownsOpening } from './openings';

/**
 * GET /v1/match-cycles/{id}: the cycle, and for the caller what concerns them. A candidate
 * sees their list and, once run, every opening on it with why it did or did not take them;
 * an organisation sees for each of its openings whom it got (by handle) and, for every
 * seat left, who ranked it and why they went elsewhere; a center the same for its
 * prefecture's openings with learner ids. Nobody is told anyone else's identity.
 */

const CANDIDATE_TEXT: Record<CandidateReason, string> = {
  matched: 'You were matched here.',
  'matched-higher-choice': 'You were matched to an opening you ranked higher.',
  'filled-by-higher-ranked': 'Its seats went to people it ranked higher than you.',
  'regional-cap':
    "Its region's cap on seats was reached: the region's seats go to its openings by their targets first, then one at a time in a fixed round-robin order among the region's openings (Kamada–Kojima), and none was left for this opening.",
  'not-on-opening-list': 'You were not on its list.',
};

const RANKER_TEXT: Record<RankerOutcome, string> = {
  'matched-here': 'Matched here.',
  'matched-higher-choice': 'Matched to an opening they ranked higher.',
  'filled-by-higher-ranked': 'Not taken: the seats went to people ranked higher.',
  'regional-cap':
    "Not taken: the region's cap on seats was reached (its seats go to the region's openings by their targets, then in a round-robin order among them).",
  'not-on-opening-list': 'Not on the list used for this opening.',
};

/**
 * What anyone who may read the cycle sees: its public fields (scope, window, status,
 * counts); why a run gave up only to those who run it. Everything about people is in the
 * caller's own part below.
 */
const baseView = (cycle: MatchCycle, now: Date, runs: boolean) => ({
  cycleId: cycle.cycleId,
  scope: cycle.scope,
  ...(cycle.prefecture ? { prefecture: cycle.prefecture } : {}),
  window: cycle.window,
  status: statusOf(cycle, now),
  openings: cycle.openings,
  ...(cycle.regions ? { regions: cycle.regions } : {}),
  createdAt: cycle.createdAt,
  // The result is shown once the run is over: its proposals published (statusOf).
  ...(cycle.result && cycle.publishedAt ? { result: cycle.result } : {}),
  ...(runs && cycle.lastFailure && cycle.status === 'open' ? { lastFailure: cycle.lastFailure } : {}),
});

/** The cycle as its runner sees it (create and run answer only them). */
export const cycleView = (cycle: MatchCycle, now: Date) => baseView(cycle, now, true);

async function learnerPart(actor: Actor, cycle: MatchCycle) {
  const [list, outcome] = await Promise.all([
    getCandidateList(cycle.cycleId, actor.sub),
    cycle.status === 'matched' && cycle.publishedAt ? getCandidateOutcome(cycle.cycleId, actor.sub) : undefined,
  ]);
  const you = { list: list?.openings ?? null, listUsed: outcome ? listText(outcome.source, 'own') : list ? LIST_TEXT.own : LIST_TEXT.fit };
  if (!outcome) return you;
  const sources = new Map((await getOpeningOutcomes(cycle.cycleId, outcome.prefs)).map((o) => [o.openingId, o.source]));
  return {
    ...you,
    outcome: {
      matched: outcome.matched ? { openingId: outcome.matched, proposalId: outcome.proposalId! } : null,
      openings: outcome.reasons.map((r, i) => ({
        openingId: r.openingId,
        position: i + 1,
        reason: r.reason,
        explanation: CANDIDATE_TEXT[r.reason],
        openingListUsed: listText(sources.get(r.openingId) ?? 'fit-order', 'theirs'),
      })),
    },
  };
}

async function openingsPart(actor: Actor, cycle: MatchCycle, asOrganisation: boolean) {
  const members = await cycleOpenings(cycle.cycleId);
  let ids: string[];
  if (asOrganisation) {
    const mine: string[] = [];
    await forEachConcurrently(
      members.filter((m) => m.ownerOrg === actor.org),
      8,
      async (m) => {
        const o = await getOpening(m.openingId);
        if (o && ownsOpening(actor, o)) mine.push(o.openingId);
      },
    );
    ids = mine;
  } else ids = members.filter((m) => showsOpeningToOverseer(actor, cycle, m.prefecture)).map((m) => m.openingId);
  const outcomes = (await getOpeningOutcomes(cycle.cycleId, ids)).sort((a, b) => a.openingId.localeCompare(b.openingId));
  const name = (openingId: string, learnerId: string) => (asOrganisation ? anonymousHandle(openingId, learnerId) : Promise.resolve(learnerId));
  return Promise.all(
    outcomes.map(async (o) => ({
      openingId: o.openingId,
      listUsed: listText(o.source, asOrganisation ? 'own' : 'theirs'),
      seats: o.capacity,
      filled: await Promise.all(o.assigned.map((id) => name(o.openingId, id))),
      unfilled: o.capacity - o.assigned.length,
      rankedBy: await Promise.all(
        o.rankedBy.map(async (r) => ({
          candidate: await name(o.openingId, r.learnerId),
          // Where the candidate put the opening is their own list: the center's to see, not the organisation's.
          ...(asOrganisation ? {} : { position: r.position }),
          outcome: r.outcome,
          explanation: RANKER_TEXT[r.outcome],
        })),
      ),
    })),
  );
}

export async function cycleViewFor(actor: Actor, cycleId: string, now: Date) {
  const cycle = await cycleFor(actor, cycleId);
  const base = baseView(cycle, now, runsCycle(actor, cycle));
  if (actor.role === 'learner') return { ...base, you: await learnerPart(actor, cycle) };
  if (base.status !== 'matched') return base;
  if (actor.role === 'employer' || actor.role === 'municipality') return { ...base, openingOutcomes: await openingsPart(actor, cycle, true) };
  return { ...base, openingOutcomes: await openingsPart(actor, cycle, false) };
}
