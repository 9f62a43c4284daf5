import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { forEachConcurrently } from '../concurrency';
import { loadWorkflowConfig } from '../config';
import {
  cycleOpenings,
  discardFitRankings,
  failCycleRun,
  fitRankingsOf,
  getCandidateOutcomes,
  getCycle,
  getOpeningOutcomes,
  leaseCycleRun,
  putFitRankings,
  putOutcomes,
} from '../data/match-cycles';
import { discardProposalsOfRun, putProposals } from '../data/matching';
import { getOpening, type Opening } from '../data/openings';
import { currentProfiles } from '../domain/candidates';
import {
  buildCycleInstance,
  computeCycleRun,
  CYCLE_RUN_FAILED,
  type CycleResult,
  finishCycle,
  openOpeningsOfCycle,
  proposalsOf,
  publishCycleProposals,
  rankingsByPrefecture,
  solveCycle,
} from '../domain/match-cycle-run';
import type { Fit } from '../matching/score';
import { logger } from '../log';

/**
 * A national matching cycle, run as the national round is (infra/constructs/national-round.ts,
 * the same state machine's cycle branch): plan -> Map(prefecture: build its openings' fit
 * rankings, stored) -> ONE solve over the whole market (outcomes stored) -> Map(prefecture:
 * its proposals) -> finish. The local host runs the same steps in process, one after another.
 * A prefectural cycle is small enough for one delivery of the match-run job.
 */
export interface CyclePlan {
  cycleId: string;
  lease: string;
  /** When the run was asked for: the proposals' time, whichever step writes them. */
  at: string;
  prefectures: string[];
}

export type CyclePlanned = CyclePlan | { cycleId: string; skip: 'done' | 'busy'; prefectures: [] };

/** In AWS the lease covers the whole execution (the state machine's timeout is an hour); in process one delivery. */
const EXECUTION_LEASE_MS = 75 * 60_000;
const IN_PROCESS_LEASE_MS = 6 * 60_000;

export async function planCycleRun(cycleId: string, now: Date, leaseMs = EXECUTION_LEASE_MS): Promise<CyclePlanned> {
  const cycle = await getCycle(cycleId);
  if (cycle?.status !== 'running') return { cycleId, skip: 'done', prefectures: [] };
  const lease = await leaseCycleRun(cycleId, now, leaseMs);
  if (!lease) return { cycleId, skip: 'busy', prefectures: [] };
  // What an interrupted attempt stored goes first: the cycle holds exactly what it counts.
  await discardProposalsOfRun(cycleId);
  await discardFitRankings(cycleId);
  const prefectures = [...new Set((await cycleOpenings(cycleId)).map((m) => m.prefecture))].sort();
  return { cycleId, lease, at: cycle.runStartedAt ?? now.toISOString(), prefectures };
}

/** Map step: one prefecture's openings ranked by fit, as the single-delivery run ranks them. */
export async function buildCyclePrefecture(plan: CyclePlan, prefecture: string): Promise<{ prefecture: string; openings: number }> {
  const openings = await openOpeningsOfCycle(plan.cycleId, prefecture);
  await putFitRankings(plan.cycleId, await rankingsByPrefecture([...openings.values()]));
  return { prefecture, openings: openings.size };
}

/** The one solve: every side's list over the whole market, from the stored rankings; its outcomes stored. */
export async function solveCycleStep(plan: CyclePlan, now: Date): Promise<CycleResult | undefined> {
  const cycle = await getCycle(plan.cycleId);
  if (cycle?.status !== 'running') return undefined;
  const built = await buildCycleInstance(cycle, now, await fitRankingsOf(plan.cycleId));
  const solved = await solveCycle(cycle, built);
  await putOutcomes(cycle.cycleId, solved.candidates, solved.openings);
  return solved.result;
}

/** Map step: the proposals of one prefecture's openings, from the stored outcomes and rankings. */
export async function publishCyclePrefecture(plan: CyclePlan, prefecture: string): Promise<{ prefecture: string; proposals: number }> {
  const cycle = await getCycle(plan.cycleId);
  if (cycle?.status !== 'running') return { prefecture, proposals: 0 };
  const members = (await cycleOpenings(plan.cycleId)).filter((m) => m.prefecture === prefecture).map((m) => m.openingId);
  const outcomes = await getOpeningOutcomes(plan.cycleId, members);
  const assignments = outcomes.flatMap((o) => o.assigned.map((candidate) => ({ candidate, opening: o.openingId })));
  const seated = assignments.map((a) => a.candidate);
  const [candidates, profiles, rankings] = await Promise.all([
    getCandidateOutcomes(plan.cycleId, seated),
    currentProfiles(seated),
    fitRankingsOf(
      plan.cycleId,
      outcomes.map((o) => o.openingId),
    ),
  ]);
  const openings = new Map<string, Opening>();
  await forEachConcurrently(outcomes, 8, async (o) => {
    const opening = await getOpening(o.openingId);
    if (opening) openings.set(o.openingId, opening);
  });
  const fits = new Map<string, Map<string, Fit>>();
  for (const [openingId, ranked] of rankings) for (const fit of ranked) fits.set(fit.learnerId, (fits.get(fit.learnerId) ?? new Map()).set(openingId, fit));
  const proposals = await proposalsOf(
    cycle,
    {
      instance: {
        candidates: candidates.map((c) => ({ id: c.learnerId, prefs: c.prefs })),
        openings: outcomes.map((o) => ({ id: o.openingId, capacity: o.capacity, prefs: o.prefs })),
      },
      openings,
      profiles,
      fits,
    },
    assignments,
    plan.at,
  );
  // Unpublished: they reach their candidates once the cycle is matched (finishCycleStep).
  await putProposals(proposals);
  return { prefecture, proposals: proposals.length };
}

/** Marks the cycle matched (proposals and outcomes are all stored by now), then publishes its proposals; the rankings, people's fits, go. */
export async function finishCycleStep(plan: CyclePlan, result: CycleResult | undefined, now: Date): Promise<void> {
  const cycle = await getCycle(plan.cycleId);
  if (cycle && result) await finishCycle(cycle, plan.lease, result, now);
  const finished = await getCycle(plan.cycleId);
  if (finished) await publishCycleProposals(finished, now);
  await discardFitRankings(plan.cycleId);
}

/**
 * The execution failed: the cycle is open to run again (as the queue's last delivery gives
 * it back), with a fixed text: an error's own text can name people (the solver's does).
 */
export async function giveUpCycleStep(cycleId: string): Promise<void> {
  const cycle = await getCycle(cycleId);
  // Failed after it was matched: only publishing is left, and it is idempotent (or POST …/run asks for it again).
  if (cycle?.status === 'matched')
    await publishCycleProposals(cycle, new Date()).catch((error: unknown) =>
      logger.error('national cycle publication failed', { cycleId, errorKind: error instanceof Error ? error.name : 'unknown' }),
    );
  await failCycleRun(cycleId, CYCLE_RUN_FAILED);
  await discardFitRankings(cycleId);
}

/** The local host's stand-in for the state machine's cycle branch: the same steps, one after another. */
export async function runCycleWorkflowInProcess(cycleId: string, now: Date): Promise<'done' | 'busy'> {
  const plan = await planCycleRun(cycleId, now, IN_PROCESS_LEASE_MS);
  if ('skip' in plan) return plan.skip;
  for (const prefecture of plan.prefectures) await buildCyclePrefecture(plan, prefecture);
  const result = await solveCycleStep(plan, now);
  for (const prefecture of plan.prefectures) await publishCyclePrefecture(plan, prefecture);
  await finishCycleStep(plan, result, now);
  return 'done';
}

let machine: { arn: string; sfn: SFNClient } | null | undefined;
function nationalRoundStateMachine() {
  if (machine === undefined) {
    const arn = loadWorkflowConfig(process.env).nationalRoundStateMachineArn;
    machine = arn ? { arn, sfn: new SFNClient({}) } : null;
  }
  return machine;
}

/**
 * The match-run job, for a cycle: a national one through the workflow (in AWS an execution,
 * one per run whatever the redeliveries; locally in process), a prefectural one here.
 */
export async function runCycle(cycleId: string, now: Date): Promise<'done' | 'busy'> {
  const cycle = await getCycle(cycleId);
  if (cycle?.scope !== 'national' || cycle.status !== 'running') return computeCycleRun(cycleId, now);
  const target = nationalRoundStateMachine();
  if (!target) return runCycleWorkflowInProcess(cycleId, now);
  try {
    await target.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: target.arn,
        name: `${cycleId}-${Date.parse(cycle.runStartedAt ?? now.toISOString())}`,
        input: JSON.stringify({ cycleId }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  logger.info('national cycle run started', { cycleId });
  return 'done';
}
