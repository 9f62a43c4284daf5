import { createHash } from 'node:crypto';
import { forEachConcurrently } from '../concurrency';
import { auditSubject, recordAudit } from '../data/audit';
import {
  candidateListsOfCycle,
  candidateOutcomesOfCycle,
  claimParticipation,
  cycleOpenings,
  failCycleRun,
  finishCycleRun,
  getCycle,
  leaseCycleRun,
  markCyclePublished,
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
import {
  allProposalsOfRun,
  discardProposalsOfRun,
  indexProposalForLearner,
  proposalsForLearner,
  putProposals,
  transitionProposal,
  type Proposal,
  type ProposalStatus,
} from '../data/matching';
import { getOpening, type Opening } from '../data/openings';
import { conflict, forbidden, serviceBusy } from '../errors';
import { sendToQueue } from '../queues';
import type { Actor } from '../identity';
import { solve } from '../matching/deferred-acceptance';
import { parseInstance, type Instance, type Region } from '../matching/instance';
import type { Fit } from '../matching/score';
import { anonymousHandle, catalogOfOpening, currentProfiles, type CandidateProfile } from './candidates';
import { explainOutcome } from './match-cycle-explain';
import { withdrawalReasonFor } from './proposal-withdrawal';
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
/**
 * A run starts no sooner than this after the window closed. A list is written after its
 * request checked the window (again, just before the write), so one checked in the last
 * instant lands up to a request's time later: API Gateway ends every request at 30 s, so
 * 60 s covers it, and covers the cycle's lists index catching up (it lags by well under a
 * second: the run reads candidates' lists from it; the organisations' it reads consistently).
 */
export const RUN_GRACE_MS = 60_000;
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

/** The fit rankings of the cycle's openings, a prefecture at a time (the step a national run fans out: shared/workflows/match-cycle.ts). */
export async function rankingsByPrefecture(openings: readonly Opening[]): Promise<Map<string, Fit[]>> {
  const byPrefecture = new Map<string, Opening[]>();
  for (const o of openings) byPrefecture.set(o.workplace.prefecture, [...(byPrefecture.get(o.workplace.prefecture) ?? []), o]);
  const rankings = new Map<string, Fit[]>();
  await forEachConcurrently([...byPrefecture.values()], 4, async (group) => {
    for (const [id, ranked] of await rankingsOf(group, false)) rankings.set(id, ranked.map(fitOf));
  });
  return rankings;
}

const fitOf = (c: RankedCandidate): Fit => ({ ...c.fit, learnerId: c.entry.learnerId });

/** The cycle's openings that are still open. */
export async function openOpeningsOfCycle(cycleId: string, prefecture?: string): Promise<Map<string, Opening>> {
  const members = (await cycleOpenings(cycleId)).filter((m) => prefecture === undefined || m.prefecture === prefecture);
  const openings = new Map<string, Opening>();
  await forEachConcurrently(members, 8, async (m) => {
    const o = await getOpening(m.openingId);
    if (o?.status === 'open') openings.set(o.openingId, o);
  });
  return openings;
}

/** A proposal that still offers or holds a seat: published, and not declined, withdrawn or ended. */
const LIVE: readonly ProposalStatus[] = ['proposed', 'candidate-accepted', 'accepted'];

/** Of these people, those with a live proposal or placement from another cycle or round. */
async function liveElsewhere(cycleId: string, learnerIds: readonly string[]): Promise<Set<string>> {
  const held = new Set<string>();
  await forEachConcurrently(learnerIds, 16, async (learnerId) => {
    let cursor: string | undefined;
    do {
      const page = await proposalsForLearner(learnerId, {
        cursor,
        limit: 100,
        select: (proposals) => proposals.map((p) => (p.runId !== cycleId && LIVE.includes(p.status) && p.endedOn === undefined ? p : undefined)),
      });
      if (page.items.length > 0) held.add(learnerId);
      cursor = page.items.length > 0 ? undefined : page.cursor;
    } while (cursor);
  });
  return held;
}

/**
 * Of the people the run would put in the instance, those it may seat: each must hold this
 * cycle's participation, claimed here as a list's submission claims it (one conditional
 * write: of two overlapping cycles running at once, one wins each person), and have no
 * live proposal or placement elsewhere (read after the claim: a cycle that ran before gave
 * up its hold only once its proposals were published). Nobody takes part in two at once.
 */
async function seatable(cycleId: string, learnerIds: readonly string[], now: Date): Promise<Set<string>> {
  const participations = await participationsOf(learnerIds);
  const others = [...new Set([...participations.values()].map((p) => p.cycleId).filter((id) => id !== cycleId))];
  const holding = new Set<string>();
  await forEachConcurrently(others, 8, async (id) => {
    if (holdsParticipants(await getCycle(id), now)) holding.add(id);
  });
  const claimed: string[] = [];
  await forEachConcurrently(learnerIds, 16, async (learnerId) => {
    const held = participations.get(learnerId);
    if (held?.cycleId === cycleId) return void claimed.push(learnerId);
    if (held && holding.has(held.cycleId)) return;
    if (await claimParticipation({ learnerId, cycleId, since: now.toISOString() }, held?.cycleId)) claimed.push(learnerId);
  });
  const live = await liveElsewhere(cycleId, claimed);
  return new Set(claimed.filter((id) => !live.has(id)));
}

/** The solver's instance; `stored`: the fit rankings a national run's steps built (otherwise built here). */
export async function buildCycleInstance(cycle: MatchCycle, now: Date, stored?: Map<string, Fit[]>): Promise<BuiltCycle> {
  const openings = await openOpeningsOfCycle(cycle.cycleId);
  const openingIds = [...openings.keys()].sort();
  const [rankings, candidateLists, openingLists] = await Promise.all([
    stored ? new Map([...stored].filter(([id]) => openings.has(id))) : rankingsByPrefecture([...openings.values()]),
    candidateListsOfCycle(cycle.cycleId),
    openingListsOfCycle(cycle.cycleId),
  ]);
  const ids = new Set<string>();
  for (const ranked of rankings.values()) for (const c of ranked) ids.add(c.learnerId);
  for (const l of candidateLists) ids.add(l.learnerId);
  for (const l of openingLists) for (const id of l.candidates) ids.add(id);
  const profiles = await currentProfiles([...ids]);
  const fitsOpening = (learnerId: string, openingId: string) => isCandidateFor(profiles.get(learnerId), openings.get(openingId)!);
  // Only those who could be on some list are claimed (a fit ranking holds many an opening's list leaves off).
  const couldList = new Set<string>();
  for (const l of candidateLists) if (l.openings.some((id) => openings.has(id) && fitsOpening(l.learnerId, id))) couldList.add(l.learnerId);
  for (const l of openingLists) if (openings.has(l.openingId)) for (const id of l.candidates) if (fitsOpening(id, l.openingId)) couldList.add(id);
  for (const [openingId, ranked] of rankings)
    if (!openingLists.some((l) => l.openingId === openingId))
      for (const id of ranked
        .map((c) => c.learnerId)
        .filter((id) => fitsOpening(id, openingId))
        .slice(0, OPENING_LIST_LENGTH))
        couldList.add(id);
  const allowed = await seatable(cycle.cycleId, [...couldList].sort(), now);
  const eligible = (learnerId: string, openingId: string) => allowed.has(learnerId) && fitsOpening(learnerId, openingId);

  const fits = new Map<string, Map<string, Fit>>();
  for (const [openingId, ranked] of rankings) for (const c of ranked) fits.set(c.learnerId, (fits.get(c.learnerId) ?? new Map()).set(openingId, c));

  const listOf = new Map(openingLists.filter((l) => openings.has(l.openingId)).map((l) => [l.openingId, l.candidates]));
  const openingSources = new Map<string, ListSource>();
  const instanceOpenings: Instance['openings'] = openingIds.map((openingId) => {
    const own = listOf.get(openingId);
    openingSources.set(openingId, own ? 'own-list' : 'fit-order');
    const prefs = own
      ? own.filter((id) => eligible(id, openingId))
      : (rankings.get(openingId) ?? [])
          .map((c) => c.learnerId)
          .filter((id) => eligible(id, openingId))
          .slice(0, OPENING_LIST_LENGTH);
    return { id: openingId, capacity: openings.get(openingId)!.headcount, prefs };
  });

  // A candidate without a list ranks the openings that list them by fit, then earlier deadline, then id (today's rounds).
  const listingThem = new Map<string, string[]>();
  for (const o of instanceOpenings) for (const id of o.prefs) listingThem.set(id, [...(listingThem.get(id) ?? []), o.id]);
  const ownLists = new Map(candidateLists.map((l) => [l.learnerId, l.openings]));
  const candidateSources = new Map<string, ListSource>();
  const candidateIds = [...new Set([...listingThem.keys(), ...ownLists.keys()])].filter((id) => allowed.has(id)).sort();
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

/** The proposals of matched pairs (`built`: as much of the cycle as they need: a national run's publish step has one prefecture's). */
export async function proposalsOf(
  cycle: MatchCycle,
  built: Pick<BuiltCycle, 'instance' | 'openings' | 'profiles' | 'fits'>,
  assignments: readonly { candidate: string; opening: string }[],
  at: string,
) {
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
      // Published (shared/domain/match-cycle-run.ts publishCycleProposals) only once the cycle's outcome is stored.
      status: 'unpublished',
      decisions: [],
      createdAt: at,
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
  if (cycle.status === 'matched' && cycle.publishedAt === undefined) {
    // Its run stopped after storing the outcome, before publishing it: the job finishes that (publishCycleProposals), nothing is solved again.
    await sendToQueue('match-runs', [JSON.stringify({ cycleId } satisfies CycleRunMessage)]);
    return cycle;
  }
  const status = statusOf(cycle, now);
  if (status === 'scheduled' || status === 'ranking') throw conflict(`The ranking window is open until ${cycle.window.to}; run the cycle after it closes.`);
  const runnableAt = Date.parse(cycle.window.to) + RUN_GRACE_MS;
  if (status === 'closed' && now.getTime() < runnableAt)
    throw conflict(
      `The ranking window closed at ${cycle.window.to}; lists submitted in its last moments may still be landing, so the cycle can run from ${new Date(runnableAt).toISOString()}.`,
    );
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

/** What a cycle whose run gave up shows its runners: fixed (an error's text can name people; the job's log has the error's kind). */
export const CYCLE_RUN_FAILED = 'The run failed on every attempt and was given up; run the cycle again, or ask the operators to look at the match-run job.';

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
  if (cycle?.status === 'matched') return publishCycleProposals(cycle, now).then(() => 'done');
  if (cycle?.status !== 'running') return 'done';
  const lease = await leaseCycleRun(cycleId, now, COMPUTE_LEASE_MS);
  if (!lease) return 'busy';
  await discardProposalsOfRun(cycleId);
  const at = cycle.runStartedAt ?? now.toISOString();

  const built = await buildCycleInstance(cycle, now);
  const solved = await solveCycle(cycle, built);
  const proposals = await proposalsOf(cycle, built, solved.assignments, at);
  // Proposals (unpublished: a retry may still discard them) and outcomes first: a cycle marked matched always has all of them.
  await putProposals(proposals);
  await putOutcomes(cycleId, solved.candidates, solved.openings);
  if (await finishCycle(cycle, lease, solved.result, now)) await publishCycleProposals((await getCycle(cycleId))!, now);
  return 'done';
}

/**
 * The run's last step, once the cycle is matched: every proposal reaches its candidate
 * (published, in their list), unless they stopped being a candidate for it meanwhile
 * (withdrawn, as a round's publication does); then the cycle is marked published, which
 * ends its hold on its participants. Idempotent: a redelivery finishes what one began.
 */
export async function publishCycleProposals(cycle: MatchCycle, now: Date): Promise<void> {
  if (cycle.status !== 'matched' || cycle.publishedAt !== undefined) return;
  const proposals = await allProposalsOfRun(cycle.cycleId);
  if (proposals.length !== cycle.result?.counts.matched)
    throw serviceBusy(`Read ${proposals.length} of the ${cycle.result?.counts.matched} proposals of cycle ${cycle.cycleId}; publishing it again.`);
  const at = now.toISOString();
  const profiles = await currentProfiles([...new Set(proposals.filter((p) => p.status === 'unpublished').map((p) => p.learnerId))]);
  await forEachConcurrently(proposals, 16, async (proposal) => {
    if (proposal.status === 'withdrawn') return;
    if (proposal.status === 'unpublished') {
      const reason = withdrawalReasonFor(profiles.get(proposal.learnerId), proposal);
      if (reason) return void (await transitionProposal(proposal.proposalId, 'unpublished', 'withdrawn', undefined, { withdrawnReason: reason }));
      await transitionProposal(proposal.proposalId, 'unpublished', 'proposed', undefined, { publishedAt: at });
    }
    await indexProposalForLearner(proposal);
  });
  await markCyclePublished(cycle.cycleId, at);
}

/** One deferred acceptance over the whole market, and what became of each side (proposal ids are keyed, so known before the proposals are built). */
export async function solveCycle(cycle: MatchCycle, built: BuiltCycle) {
  const instance = withRegions(built.instance, built.regions);
  // What is stored must solve again as the solver's file format takes it (scripts/match.ts).
  const parsed = parseInstance(instance);
  if (!parsed.ok)
    throw new Error(`cycle ${cycle.cycleId}: its instance is not one the solver takes (${parsed.errors.length} faults, first at ${parsed.errors[0]?.path})`);
  const result = solve(instance);
  const explained = explainOutcome(instance, result.assignments);
  const seatOf = new Map(result.assignments.map((a) => [a.candidate, a.opening]));
  const candidates: CandidateOutcome[] = await Promise.all(
    built.instance.candidates.map(async (c) => ({
      learnerId: c.id,
      prefs: c.prefs,
      source: built.sources.candidates.get(c.id)!,
      ...(seatOf.has(c.id) ? { matched: seatOf.get(c.id)!, proposalId: await proposalIdOf(cycle.cycleId, c.id) } : {}),
      reasons: explained.candidates.get(c.id) ?? [],
    })),
  );
  const openings: OpeningOutcome[] = built.instance.openings.map((o) => ({
    openingId: o.id,
    prefecture: built.openings.get(o.id)!.workplace.prefecture,
    capacity: o.capacity,
    prefs: o.prefs,
    source: built.sources.openings.get(o.id)!,
    assigned: result.assignments.filter((a) => a.opening === o.id).map((a) => a.candidate),
    rankedBy: (explained.openings.get(o.id) ?? []).sort((a, b) => a.position - b.position || a.learnerId.localeCompare(b.learnerId)).slice(0, RANKED_BY_KEPT),
  }));
  const counts = {
    openings: instance.openings.length,
    seats: instance.openings.reduce((n, o) => n + o.capacity, 0),
    candidates: instance.candidates.length,
    matched: result.assignments.length,
    unmatched: result.unmatched.length,
  };
  return { assignments: result.assignments, candidates, openings, result: { counts, stable: result.stable, inputDigest: inputDigest(instance) } };
}

export type CycleResult = Omit<NonNullable<MatchCycle['result']>, 'runAt'>;

/** Marks the cycle matched with its result, if `lease` still holds it (true), and audits the run as its requester's. */
export async function finishCycle(cycle: MatchCycle, lease: string, result: CycleResult, now: Date): Promise<boolean> {
  const { cycleId } = cycle;
  const outcome = { runAt: new Date().toISOString(), ...result };
  const counts = result.counts;
  if (await finishCycleRun(cycleId, lease, outcome)) {
    const by = cycle.runRequestedBy ?? cycle.createdBy;
    const actor: Actor = { sub: by.sub, role: by.role as Actor['role'], ...(by.role === 'center' && cycle.prefecture ? { prefecture: cycle.prefecture } : {}) };
    await recordAudit(actor, 'match-cycle-run', auditSubject.matchCycle(cycleId), now, { matched: counts.matched, candidates: counts.candidates });
    return true;
  }
  return false;
}

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
