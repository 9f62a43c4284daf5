import { randomBytes } from 'node:crypto';
import { overseesPrefecture } from '../access';
import { forEachConcurrently } from '../concurrency';
import { auditProposalReads, auditSubject, recordAudit } from '../data/audit';
import {
  allProposalsOfRun,
  discardProposalsOfRun,
  failRequestedRun,
  finishRequestedRun,
  getMatchRun,
  isComputed,
  leaseRequestedRun,
  indexProposalForLearner,
  proposalsOfRunPage,
  putMatchRun,
  putProposals,
  setRunStatus,
  transitionProposal,
  type MatchRun,
  type Proposal,
  type RequestedRun,
  type StoredRun,
} from '../data/matching';
import type { LearnerProfile } from '../data/learners';
import { allOpenOpeningsOfPrefecture, type Opening } from '../data/openings';
import { conflict, forbidden, notFound, serviceBusy } from '../errors';
import type { Actor } from '../identity';
import { solve } from '../matching/deferred-acceptance';
import type { Instance } from '../matching/instance';
import type { Fit } from '../matching/score';
import { sendToQueue } from '../queues';
import { keyedDigest } from '../service-keys';
import { japanDate } from '../time/japan-time';
import { anonymousHandle, catalogOfOpening, currentProfiles } from './candidates';
import { poolsOfOpening, type RankedCandidate } from './ranking';
import { rankOpening, readShortlist } from './ranking-read';
import { computeShortlists } from './shortlist-refresh';
import { withdrawalReasonFor } from './proposal-withdrawal';
import { isCandidateFor } from './visibility';

/**
 * How many of its best-fitting candidates an opening ranks in a round: well within its
 * shortlist (shared/domain/shortlist-refresh.ts SHORTLIST_SIZE), so people whose consent
 * no longer covers the opening can drop out and still leave the list full.
 */
export const OPENING_LIST_LENGTH = 300;

/** Keyed like candidate handles: an organisation sees proposal ids, and must not recompute whose they are. */
export async function proposalIdOf(runId: string, learnerId: string): Promise<string> {
  const { digest } = await keyedDigest('proposal-id', [runId, learnerId], 24);
  return `prp_${digest}`;
}

function assertCenterOf(actor: Actor, prefecture: string) {
  if (!overseesPrefecture(actor, prefecture)) throw forbidden(`Only the center of prefecture ${prefecture} (or admin) may do this.`);
}

/**
 * The preference lists of a round. Openings rank the candidates the consent scope rule
 * allows for them (shared/domain/visibility.ts, on the current profiles) by score
 * (documented in shared/matching/score.ts), from their ranking (`rankings`: best first,
 * before the consent check). Candidates have no stated preferences over openings yet, so
 * each ranks the openings that listed them by how well they fit, then by earlier
 * deadline, then by opening id.
 */
export function buildInstance(
  openings: readonly Opening[],
  rankings: ReadonlyMap<string, readonly RankedCandidate[]>,
  profiles: ReadonlyMap<string, LearnerProfile>,
) {
  const fits = new Map<string, Map<string, { fit: Fit; openingRank: number }>>();
  const openingsInstance: Instance['openings'] = [];
  for (const opening of openings) {
    const ranked = (rankings.get(opening.openingId) ?? [])
      .filter((c) => isCandidateFor(profiles.get(c.entry.learnerId), opening))
      .slice(0, OPENING_LIST_LENGTH);
    ranked.forEach((c, i) => {
      const byOpening = fits.get(c.entry.learnerId) ?? new Map();
      byOpening.set(opening.openingId, { fit: c.fit, openingRank: i + 1 });
      fits.set(c.entry.learnerId, byOpening);
    });
    openingsInstance.push({ id: opening.openingId, capacity: opening.headcount, prefs: ranked.map((c) => c.entry.learnerId) });
  }
  const deadline = new Map(openings.map((o) => [o.openingId, o.deadline]));
  const candidates: Instance['candidates'] = [...fits.keys()].sort().map((learnerId) => ({
    id: learnerId,
    prefs: [...fits.get(learnerId)!.entries()]
      .sort(([a, fa], [b, fb]) => fb.fit.score - fa.fit.score || deadline.get(a)!.localeCompare(deadline.get(b)!) || a.localeCompare(b))
      .map(([openingId]) => openingId),
  }));
  return { instance: { candidates, openings: openingsInstance } satisfies Instance, fits };
}

/**
 * Each opening's ranking as a candidate list shows it (shared/domain/candidates.ts): from
 * its shortlist and what changed since, or its pools when small. An opening over large
 * pools without a shortlist yet gets one now, in one pass per pool for all such openings.
 */
export async function rankingsOf(openings: readonly Opening[], includeSelfReported: boolean): Promise<Map<string, RankedCandidate[]>> {
  const rankings = new Map<string, RankedCandidate[]>();
  const unranked: Opening[] = [];
  const rank = async (opening: Opening) => {
    const ranking = await rankOpening(opening, await catalogOfOpening(opening), readShortlist(opening.openingId), { includeSelfReported });
    if (ranking) rankings.set(opening.openingId, ranking.ranked);
    else unranked.push(opening);
  };
  await forEachConcurrently(openings, 8, rank);
  const byPools = new Map<string, Opening[]>();
  for (const opening of unranked) {
    const key = poolsOfOpening(opening).join('+');
    byPools.set(key, [...(byPools.get(key) ?? []), opening]);
  }
  for (const group of byPools.values()) await computeShortlists(poolsOfOpening(group[0]!), group);
  const second = unranked.splice(0);
  await forEachConcurrently(second, 8, rank);
  const missing = openings.filter((o) => !rankings.has(o.openingId));
  if (missing.length > 0) throw serviceBusy(`Could not rank ${missing.length} of the round's openings; retry the same request.`);
  return rankings;
}

type RoundInput = { prefecture: string; dryRun: boolean; includeSelfReported: boolean };
type RoundRequest = Omit<RequestedRun, 'status' | 'failure'>;

const requestOf = (actor: Actor, input: RoundInput, now: Date): RoundRequest => ({
  runId: `run_${randomBytes(10).toString('hex')}`,
  prefecture: input.prefecture,
  createdBy: { sub: actor.sub, role: actor.role },
  createdAt: now.toISOString(),
  dryRun: input.dryRun,
  includeSelfReported: input.includeSelfReported,
});

/** Who requested a stored round, for the audit of its outcome. */
const requesterOf = (run: RoundRequest): Actor => ({
  sub: run.createdBy.sub,
  role: run.createdBy.role as Actor['role'],
  ...(run.createdBy.role === 'center' ? { prefecture: run.prefecture } : {}),
});

const auditRound = (actor: Actor, run: MatchRun, now: Date) =>
  recordAudit(actor, run.dryRun ? 'match-run-dry' : 'match-run', auditSubject.matchRun(run.runId), now, {
    prefecture: run.prefecture,
    matched: run.counts.matched,
  });

/** One prefecture's round within the national round's step (a Lambda of its own, 5 minutes). */
export async function createMatchRun(actor: Actor, input: RoundInput, now: Date) {
  assertCenterOf(actor, input.prefecture);
  const { run, proposals } = await computeRound(requestOf(actor, input, now), now);
  // Proposals first (computeRound): a run item is only ever visible with all of its proposals.
  await putMatchRun(run);
  await auditRound(actor, run, now);
  return { run, proposals };
}

/**
 * POST /v1/match-runs: the round is stored as requested and queued; the match-run job
 * computes it (a Tokyo-size round fits neither an API request's 30 s nor its memory).
 */
export async function requestMatchRun(actor: Actor, input: RoundInput, now: Date): Promise<RequestedRun> {
  assertCenterOf(actor, input.prefecture);
  const run: RequestedRun = { ...requestOf(actor, input, now), status: 'computing' };
  await putMatchRun(run);
  try {
    await sendToQueue('match-runs', [JSON.stringify({ runId: run.runId } satisfies MatchRunMessage)]);
  } catch (error) {
    await failRequestedRun(run.runId, 'The round could not be queued; request it again.');
    throw error;
  }
  return run;
}

export interface MatchRunMessage {
  runId: string;
}

/** How long one delivery may compute a round before another may take it over (over the job's timeout). */
const COMPUTE_LEASE_MS = 6 * 60_000;

/**
 * The match-run job: computes a queued round. One delivery at a time holds the run (a
 * lease on its item); what an interrupted attempt stored is discarded first, so the run
 * holds exactly the proposals it counts. `busy`: another delivery holds it, try later.
 */
export async function computeRequestedRun(runId: string, now: Date): Promise<'done' | 'busy'> {
  const stored = await getMatchRun(runId);
  if (stored?.status !== 'computing') return 'done';
  const lease = await leaseRequestedRun(runId, now, COMPUTE_LEASE_MS);
  if (!lease) return 'busy';
  await discardProposalsOfRun(runId);
  const { run } = await computeRound(stored, now);
  const computed: MatchRun = { ...run, computedAt: new Date().toISOString() };
  if (await finishRequestedRun(computed, lease)) await auditRound(requesterOf(stored), computed, now);
  return 'done';
}

/** Computes a round as of `now` and stores its proposals (not the run). */
async function computeRound(request: RoundRequest, now: Date): Promise<{ run: MatchRun; proposals: Proposal[] }> {
  const input = request;
  // Openings past their deadline stay "open" until closed, but take no more candidates.
  const today = japanDate(now);
  const openings = (await allOpenOpeningsOfPrefecture(input.prefecture)).filter((o) => o.deadline >= today);
  const rankings = await rankingsOf(openings, input.includeSelfReported);
  const listed = [...rankings.values()].flat();
  const profiles = await currentProfiles([...new Set(listed.map((c) => c.entry.learnerId))]);
  const { instance, fits } = buildInstance(openings, rankings, profiles);
  const result = solve(instance);

  const runId = request.runId;
  const at = now.toISOString();
  const byId = new Map(openings.map((o) => [o.openingId, o]));
  const entryOf = new Map(listed.map((c) => [c.entry.learnerId, c.entry]));
  const prefsOf = new Map(instance.candidates.map((c) => [c.id, c.prefs]));
  const proposals: Proposal[] = await Promise.all(
    result.assignments.map(async ({ candidate, opening }): Promise<Proposal> => {
      const { fit, openingRank } = fits.get(candidate)!.get(opening)!;
      const o = byId.get(opening)!;
      // The score weighs items by the catalog's role x skill matrix: say when that is an estimate.
      const catalog = await catalogOfOpening(o);
      return {
        ...(catalog.provisional ? { provisional: true as const, provisionalReason: catalog.provisionalReason } : {}),
        proposalId: await proposalIdOf(runId, candidate),
        runId,
        prefecture: input.prefecture,
        openingId: opening,
        ownerOrg: o.ownerOrg,
        ownerKind: o.organisation.kind,
        learnerId: candidate,
        candidateHandle: await anonymousHandle(opening, candidate),
        residencePrefecture: entryOf.get(candidate)!.residencePrefecture,
        workplacePrefecture: o.workplace.prefecture,
        workStyle: o.workStyle,
        score: fit.score,
        explanation: {
          met: fit.met,
          missing: fit.missing,
          readiness: fit.readiness,
          candidateRank: prefsOf.get(candidate)!.indexOf(opening) + 1,
          openingRank,
        },
        status: 'unpublished',
        decisions: [],
        createdAt: at,
        version: 1,
      };
    }),
  );
  const run: MatchRun = {
    ...request,
    status: 'unpublished',
    counts: {
      openings: openings.length,
      seats: openings.reduce((n, o) => n + o.headcount, 0),
      candidates: instance.candidates.length,
      matched: result.assignments.length,
      unmatched: result.unmatched.length,
    },
    stable: result.stable,
  };
  await putProposals(proposals);
  return { run, proposals };
}

/**
 * Past this, every delivery of a round's message has ended (4 deliveries, each at most the
 * queue's visibility of 30 minutes): a round still computing was lost with its last one
 * (a worker that timed out leaves no failure behind), and is reported failed.
 */
const COMPUTING_AT_MOST_MS = 3 * 3600_000;

async function runFor(actor: Actor, runId: string, now = new Date()): Promise<StoredRun> {
  const run = await getMatchRun(runId);
  if (!run || !overseesPrefecture(actor, run.prefecture)) throw notFound(`No match run ${runId} in your prefecture.`);
  if (run.status === 'computing' && now.getTime() - Date.parse(run.createdAt) > COMPUTING_AT_MOST_MS) {
    await failRequestedRun(runId, 'no attempt to compute the round finished within 3 hours; request a new one');
    return (await getMatchRun(runId)) ?? run;
  }
  return run;
}

export const matchRunView = (actor: Actor, runId: string) => runFor(actor, runId);

export async function matchRunProposals(actor: Actor, runId: string, cursor: string | undefined, limit: number, now: Date) {
  // A round still computing has no proposals to show yet (an attempt's may be discarded).
  if (!isComputed(await runFor(actor, runId))) return { proposals: [] };
  const page = await proposalsOfRunPage(runId, { cursor, limit });
  await auditProposalReads(actor, page.items, now);
  return { proposals: page.items.map(proposalView), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/**
 * Publishes a round: every proposal becomes visible to its candidate and organisation.
 * Idempotent: a publish interrupted half way is finished by publishing again. The run is
 * published whole or not at all: its proposals are read consistently and counted against
 * what the round wrote before any is published, so a read that misses some (an index or
 * replica lagging) can never publish part of a run and call it published.
 */
export async function publishMatchRun(actor: Actor, runId: string, now: Date) {
  const run = await runFor(actor, runId);
  if (!isComputed(run))
    throw conflict(
      run.status === 'computing'
        ? 'This round is still being computed; publish it once its status is unpublished.'
        : `This round failed (${run.failure ?? 'no reason recorded'}); request a new one.`,
    );
  if (run.dryRun) throw conflict('A dry run is for review only; run the round again without dryRun to publish it.');
  if (run.status === 'published') throw conflict('This round is already published.');
  const at = now.toISOString();
  const proposals = await allProposalsOfRun(runId);
  if (proposals.length !== run.counts.matched) {
    const read = `${proposals.length} of the ${run.counts.matched} proposals`;
    throw serviceBusy(`Read ${read} of this round; this request published none of them. Retry the same request.`);
  }
  await setRunStatus(runId, ['unpublished', 'publishing'], 'publishing', at);
  // Each candidate is checked again as they are now: consent withdrawn, account erased or a
  // job taken since the round was computed withdraws the proposal, which holds no seat and
  // is never shown to the organisation.
  const profiles = await currentProfiles([...new Set(proposals.filter((p) => p.status === 'unpublished').map((p) => p.learnerId))]);
  let withdrawn = 0;
  await forEachConcurrently(proposals, 16, async (proposal) => {
    if (proposal.status === 'withdrawn') return;
    if (proposal.status === 'unpublished') {
      const reason = withdrawalReasonFor(profiles.get(proposal.learnerId), proposal);
      if (reason) {
        if (await transitionProposal(proposal.proposalId, 'unpublished', 'withdrawn', undefined, { withdrawnReason: reason })) withdrawn++;
        return;
      }
      await transitionProposal(proposal.proposalId, 'unpublished', 'proposed', undefined, { publishedAt: at });
    }
    await indexProposalForLearner(proposal);
  });
  await setRunStatus(runId, ['publishing'], 'published', at);
  await recordAudit(actor, 'match-run-published', auditSubject.matchRun(runId), now, { proposals: proposals.length, withdrawn });
  return { ...run, status: 'published' as const, publishedAt: at, withdrawnAtPublication: withdrawn };
}

export const proposalView = ({ version: _version, candidateHandle: _handle, ...proposal }: Proposal) => proposal;
