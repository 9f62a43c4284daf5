import { createHash } from 'node:crypto';
import { forEachConcurrently } from '../concurrency';
import { auditSubject, recordAudit } from '../data/audit';
import {
  candidateListsOfCycle,
  candidateOutcomesOfCycle,
  cycleOpenings,
  failCycleRun,
  finishCycleRun,
  getCycle,
  leaseCycleRun,
  openingListsOfCycle,
  openingOutcomesOfCycle,
  participationsOf,
  putOutcomes,
  startCycleRun,
  type CandidateOutcome,
  type ListSource,
  type MatchCycle,
  type OpeningOutcome,
} from '../data/match-cycles';
import { discardProposalsOfRun, indexProposalForLearner, putProposals, type Proposal } from '../data/matching';
import { getOpening, type Opening } from '../data/openings';
import { conflict, forbidden } from '../errors';
import { sendToQueue } from '../queues';
import type { Actor } from '../identity';
import { solve } from '../matching/deferred-acceptance';
import type { Instance, Region } from '../matching/instance';
import type { Fit } from '../matching/score';
import { anonymousHandle, catalogOfOpening, currentProfiles, type CandidateProfile } from './candidates';
import { explainOutcome } from './match-cycle-explain';
import { cycleFor, fitsOfLearner, holdsParticipants, runsCycle, statusOf } from './match-cycles';
import { OPENING_LIST_LENGTH, proposalIdOf, rankingsOf } from './match-runs';
import type { RankedCandidate } from './ranking';
import { isCandidateFor } from './visibility';

type RegionOfOpenings = Pick<Region, 'id' | 'openings' | 'cap'>;

/**
 * Running a cycle: each side's list as submitted (or, for a side that submitted none, the
 * fit order of today's rounds), restricted to pairs the consent scope allows now; one
 * candidate-proposing deferred acceptance over every opening of the cycle (a national
 * cycle is one market, not 47); explanations for everyone; a proposal per matched pair,
 * published to its candidate at once (the lists were the people's own). What the solver
 * was given is stored with the outcome, so the result can be solved again from it.
 */

/**
 * Past this, every delivery of a run's message has ended (4 deliveries, each at most the
 * queue's visibility of 30 minutes): a cycle still running was lost, and may be run again.
 */
const RUN_STALE_MS = 3 * 3600_000;
/** An opening's outcome keeps at most this many of those who listed it (its item stays well under DynamoDB's 400 KB). */
const RANKED_BY_KEPT = 1000;

export interface BuiltCycle {
  instance: Instance;
  regions: RegionOfOpenings[];
  openings: Map<string, Opening>;
  sources: { candidates: Map<string, ListSource>; openings: Map<string, ListSource> };
  fits: Map<string, Map<string, Fit>>;
  profiles: Map<string, CandidateProfile>;
}

/** The fit rankings of the cycle's openings, a prefecture at a time (the step a national run fans out). */
async function rankingsByPrefecture(openings: readonly Opening[]): Promise<Map<string, RankedCandidate[]>> {
  const byPrefecture = new Map<string, Opening[]>();
  for (const o of openings) byPrefecture.set(o.workplace.prefecture, [...(byPrefecture.get(o.workplace.prefecture) ?? []), o]);
  const rankings = new Map<string, RankedCandidate[]>();
  await forEachConcurrently([...byPrefecture.values()], 4, async (group) => {
    for (const [id, ranked] of await rankingsOf(group, false)) rankings.set(id, ranked);
  });
  return rankings;
}

/** People held by another cycle that has not run yet take no part in this one (shared/domain/match-cycles.ts joinCycle). */
async function heldElsewhere(cycleId: string, learnerIds: readonly string[], now: Date): Promise<Set<string>> {
  const participations = await participationsOf(learnerIds);
  const others = [...new Set([...participations.values()].map((p) => p.cycleId).filter((id) => id !== cycleId))];
  const unrun = new Set<string>();
  await forEachConcurrently(others, 8, async (id) => {
    if (holdsParticipants(await getCycle(id), now)) unrun.add(id);
  });
  return new Set([...participations.values()].filter((p) => unrun.has(p.cycleId)).map((p) => p.learnerId));
}

export async function buildCycleInstance(cycle: MatchCycle, now: Date): Promise<BuiltCycle> {
  const members = await cycleOpenings(cycle.cycleId);
  const openings = new Map<string, Opening>();
  await forEachConcurrently(members, 8, async (m) => {
    const o = await getOpening(m.openingId);
    if (o?.status === 'open') openings.set(o.openingId, o);
  });
  const openingIds = [...openings.keys()].sort();
  const [rankings, candidateLists, openingLists] = await Promise.all([
    rankingsByPrefecture([...openings.values()]),
    candidateListsOfCycle(cycle.cycleId),
    openingListsOfCycle(cycle.cycleId),
  ]);
  const ids = new Set<string>();
  for (const ranked of rankings.values()) for (const c of ranked) ids.add(c.entry.learnerId);
  for (const l of candidateLists) ids.add(l.learnerId);
  for (const l of openingLists) for (const id of l.candidates) ids.add(id);
  const [profiles, held] = await Promise.all([currentProfiles([...ids]), heldElsewhere(cycle.cycleId, [...ids], now)]);
  const eligible = (learnerId: string, openingId: string) => !held.has(learnerId) && isCandidateFor(profiles.get(learnerId), openings.get(openingId)!);

  const fits = new Map<string, Map<string, Fit>>();
  for (const [openingId, ranked] of rankings)
    for (const c of ranked) fits.set(c.entry.learnerId, (fits.get(c.entry.learnerId) ?? new Map()).set(openingId, c.fit));

  const listOf = new Map(openingLists.filter((l) => openings.has(l.openingId)).map((l) => [l.openingId, l.candidates]));
  const openingSources = new Map<string, ListSource>();
  const instanceOpenings: Instance['openings'] = openingIds.map((openingId) => {
    const own = listOf.get(openingId);
    openingSources.set(openingId, own ? 'own-list' : 'fit-order');
    const prefs = own
      ? own.filter((id) => eligible(id, openingId))
      : (rankings.get(openingId) ?? [])
          .map((c) => c.entry.learnerId)
          .filter((id) => eligible(id, openingId))
          .slice(0, OPENING_LIST_LENGTH);
    return { id: openingId, capacity: openings.get(openingId)!.headcount, prefs };
  });

  // A candidate without a list ranks the openings that list them by fit, then earlier deadline, then id (today's rounds).
  const listingThem = new Map<string, string[]>();
  for (const o of instanceOpenings) for (const id of o.prefs) listingThem.set(id, [...(listingThem.get(id) ?? []), o.id]);
  const ownLists = new Map(candidateLists.map((l) => [l.learnerId, l.openings]));
  const candidateSources = new Map<string, ListSource>();
  const candidateIds = [...new Set([...listingThem.keys(), ...ownLists.keys()])].filter((id) => !held.has(id)).sort();
  const byFit = (learnerId: string) => (a: string, b: string) => {
    const fa = fits.get(learnerId)?.get(a)?.score ?? 0;
    const fb = fits.get(learnerId)?.get(b)?.score ?? 0;
    return fb - fa || openings.get(a)!.deadline.localeCompare(openings.get(b)!.deadline) || a.localeCompare(b);
  };
  const instanceCandidates: Instance['candidates'] = candidateIds.map((learnerId) => {
    const own = ownLists.get(learnerId);
    candidateSources.set(learnerId, own ? 'own-list' : 'fit-order');
    const prefs = own ? own.filter((id) => openings.has(id) && eligible(learnerId, id)) : [...(listingThem.get(learnerId) ?? [])].sort(byFit(learnerId));
    return { id: learnerId, prefs };
  });

  const regions: RegionOfOpenings[] = (cycle.regions ?? []).map((r) => ({
    id: r.id,
    openings: openingIds.filter((id) => r.prefectures.includes(openings.get(id)!.workplace.prefecture)),
    cap: r.cap,
  }));
  return {
    instance: { candidates: instanceCandidates, openings: instanceOpenings },
    regions,
    openings,
    sources: { candidates: candidateSources, openings: openingSources },
    fits,
    profiles,
  };
}

/** The solver's instance with the cycle's regions as the solver takes them (shared/matching/instance.ts `regions`). */
export const withRegions = (instance: Instance, regions: readonly RegionOfOpenings[]): Instance =>
  regions.length === 0 ? instance : { ...instance, regions: regions.map((r) => ({ id: r.id, openings: [...r.openings], cap: r.cap })) };

export const inputDigest = (instance: Instance) => createHash('sha256').update(JSON.stringify(instance)).digest('hex');

async function proposalsOf(cycle: MatchCycle, built: BuiltCycle, assignments: readonly { candidate: string; opening: string }[], at: string) {
  const prefsOf = new Map(built.instance.candidates.map((c) => [c.id, c.prefs]));
  const openingPrefs = new Map(built.instance.openings.map((o) => [o.id, o.prefs]));
  const proposals: Proposal[] = [];
  await forEachConcurrently(assignments, 8, async ({ candidate, opening }) => {
    const o = built.openings.get(opening)!;
    const profile = built.profiles.get(candidate)!;
    // Someone the organisation ranked from beyond the fit shortlist: their fit is computed from their evidence.
    const fit = built.fits.get(candidate)?.get(opening) ?? (await fitsOfLearner(profile, [o])).get(opening);
    const catalog = await catalogOfOpening(o);
    proposals.push({
      ...(catalog.provisional ? { provisional: true as const, provisionalReason: catalog.provisionalReason } : {}),
      proposalId: await proposalIdOf(cycle.cycleId, candidate),
      runId: cycle.cycleId,
      prefecture: o.workplace.prefecture,
      openingId: opening,
      ownerOrg: o.ownerOrg,
      ownerKind: o.organisation.kind,
      learnerId: candidate,
      candidateHandle: await anonymousHandle(opening, candidate),
      residencePrefecture: profile.residence.prefecture,
      workplacePrefecture: o.workplace.prefecture,
      workStyle: o.workStyle,
      score: fit?.score ?? 0,
      explanation: {
        met: fit?.met ?? [],
        missing: fit?.missing ?? [],
        readiness: fit?.readiness ?? 0,
        candidateRank: prefsOf.get(candidate)!.indexOf(opening) + 1,
        openingRank: openingPrefs.get(opening)!.indexOf(candidate) + 1,
      },
      status: 'proposed',
      decisions: [],
      createdAt: at,
      publishedAt: at,
      version: 1,
    });
  });
  return proposals;
}

/**
 * POST /v1/match-cycles/{id}/run: after the window closes, once. The cycle is marked
 * running and queued; the match-run job computes it (a national cycle fits neither an API
 * request's 30 s nor its memory), and GET /v1/match-cycles/{id} then shows it matched.
 */
export async function requestCycleRun(actor: Actor, cycleId: string, now: Date): Promise<MatchCycle> {
  const cycle = await cycleFor(actor, cycleId);
  if (!runsCycle(actor, cycle))
    throw forbidden(cycle.scope === 'national' ? 'Only admin may run a national cycle.' : 'Only the center of the prefecture (or admin) may run this cycle.');
  const status = statusOf(cycle, now);
  if (status === 'scheduled' || status === 'ranking') throw conflict(`The ranking window is open until ${cycle.window.to}; run the cycle after it closes.`);
  if (status === 'matched') throw conflict('This cycle has already run; its result is part of the cycle.');
  const startedAt = now.toISOString();
  const by = { sub: actor.sub, role: actor.role };
  if (!(await startCycleRun(cycleId, startedAt, new Date(now.getTime() - RUN_STALE_MS).toISOString(), by)))
    throw conflict('This cycle is being run already; read the cycle for its result.');
  try {
    await sendToQueue('match-runs', [JSON.stringify({ cycleId } satisfies CycleRunMessage)]);
  } catch (error) {
    await failCycleRun(cycleId, 'The run could not be queued; run the cycle again.');
    throw error;
  }
  await recordAudit(actor, 'match-cycle-run-requested', auditSubject.matchCycle(cycleId), now);
  return { ...cycle, status: 'running', runStartedAt: startedAt, runRequestedBy: by };
}

/** The match-run queue's message for a cycle (a round's carries `runId` instead). */
export interface CycleRunMessage {
  cycleId: string;
}

/** How long one delivery may compute a cycle before another may take it over (over the job's timeout). */
const COMPUTE_LEASE_MS = 6 * 60_000;

/**
 * The match-run job, for a cycle: computes a running cycle. One delivery at a time holds
 * it (a lease), and what an interrupted attempt stored is discarded first, so the cycle
 * holds exactly the proposals it counts. `busy`: another delivery holds it, try later.
 */
export async function computeCycleRun(cycleId: string, now: Date): Promise<'done' | 'busy'> {
  const cycle = await getCycle(cycleId);
  if (cycle?.status !== 'running') return 'done';
  const lease = await leaseCycleRun(cycleId, now, COMPUTE_LEASE_MS);
  if (!lease) return 'busy';
  await discardProposalsOfRun(cycleId);
  const at = cycle.runStartedAt ?? now.toISOString();

  const built = await buildCycleInstance(cycle, now);
  const instance = withRegions(built.instance, built.regions);
  const result = solve(instance);
  const explained = explainOutcome(instance, result.assignments);
  const proposals = await proposalsOf(cycle, built, result.assignments, at);
  const proposalOf = new Map(proposals.map((p) => [p.learnerId, p.proposalId]));
  const seatOf = new Map(result.assignments.map((a) => [a.candidate, a.opening]));
  const candidates: CandidateOutcome[] = built.instance.candidates.map((c) => ({
    learnerId: c.id,
    prefs: c.prefs,
    source: built.sources.candidates.get(c.id)!,
    ...(seatOf.has(c.id) ? { matched: seatOf.get(c.id)!, proposalId: proposalOf.get(c.id)! } : {}),
    reasons: explained.candidates.get(c.id) ?? [],
  }));
  const openings: OpeningOutcome[] = built.instance.openings.map((o) => ({
    openingId: o.id,
    prefecture: built.openings.get(o.id)!.workplace.prefecture,
    capacity: o.capacity,
    prefs: o.prefs,
    source: built.sources.openings.get(o.id)!,
    assigned: result.assignments.filter((a) => a.opening === o.id).map((a) => a.candidate),
    rankedBy: (explained.openings.get(o.id) ?? []).sort((a, b) => a.position - b.position || a.learnerId.localeCompare(b.learnerId)).slice(0, RANKED_BY_KEPT),
  }));
  // Proposals and outcomes first: a cycle marked matched always has all of them.
  await putProposals(proposals);
  await forEachConcurrently(proposals, 16, indexProposalForLearner);
  await putOutcomes(cycleId, candidates, openings);
  const counts = {
    openings: instance.openings.length,
    seats: instance.openings.reduce((n, o) => n + o.capacity, 0),
    candidates: instance.candidates.length,
    matched: result.assignments.length,
    unmatched: result.unmatched.length,
  };
  const outcome = { runAt: new Date().toISOString(), counts, stable: result.stable, inputDigest: inputDigest(instance) };
  if (await finishCycleRun(cycleId, lease, outcome)) {
    const by = cycle.runRequestedBy ?? cycle.createdBy;
    const actor: Actor = { sub: by.sub, role: by.role as Actor['role'], ...(by.role === 'center' && cycle.prefecture ? { prefecture: cycle.prefecture } : {}) };
    await recordAudit(actor, 'match-cycle-run', auditSubject.matchCycle(cycleId), now, { matched: counts.matched, candidates: counts.candidates });
  }
  return 'done';
}

/** A queued cycle that failed on every delivery: open again (its window closed), with why. */
export const giveUpCycleRun = (cycleId: string, failure: string) => failCycleRun(cycleId, failure);

/** The match-run queue's message for a cycle, if that is what `body` is. */
export function cycleIdOfMessage(body: string): string | undefined {
  try {
    const { cycleId } = JSON.parse(body) as Partial<CycleRunMessage>;
    return typeof cycleId === 'string' && /^cyc_[a-f0-9]{20}$/.test(cycleId) ? cycleId : undefined;
  } catch {
    return undefined;
  }
}

// Code-unit order, as the run sorted its ids.
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The solver's input as stored with the outcome (sorted as the run built it), and the assignments it gave. */
export async function storedCycleInput(cycleId: string) {
  const cycle = await getCycle(cycleId);
  if (!cycle) return undefined;
  const [candidates, openings] = await Promise.all([candidateOutcomesOfCycle(cycleId), openingOutcomesOfCycle(cycleId)]);
  const instance: Instance = {
    candidates: candidates.map((c) => ({ id: c.learnerId, prefs: c.prefs })).sort(byId),
    openings: openings.map((o) => ({ id: o.openingId, capacity: o.capacity, prefs: o.prefs })).sort(byId),
  };
  const regions: RegionOfOpenings[] = (cycle.regions ?? []).map((r) => ({
    id: r.id,
    openings: openings
      .filter((o) => r.prefectures.includes(o.prefecture))
      .map((o) => o.openingId)
      .sort(),
    cap: r.cap,
  }));
  const assignments = candidates.filter((c) => c.matched).map((c) => ({ candidate: c.learnerId, opening: c.matched! }));
  return { cycle, instance: withRegions(instance, regions), assignments };
}
