import { randomBytes } from 'node:crypto';
import { getNationalRun, type NationalRun, putNationalRun } from '../data/national-runs';
import { hasOpenOpening } from '../data/openings';
import { createMatchRun } from '../domain/match-runs';
import type { Actor } from '../identity';
import { PREFECTURE_CODES } from '../ids';
import { forEachConcurrently } from '../concurrency';

/**
 * A national matching round: one round per prefecture that has open openings. In AWS a
 * Step Functions state machine runs plan -> Map(prefecture) -> summarize, one Lambda
 * invocation per prefecture; the local host runs the same three steps in process.
 */
export interface NationalPlan {
  nationalRunId: string;
  requestedBy: { sub: string; role: 'admin' };
  requestedAt: string;
  dryRun: boolean;
  includeSelfReported: boolean;
  prefectures: string[];
}

export interface PrefectureOutcome {
  prefecture: string;
  runId: string;
  matched: number;
  unmatched: number;
  seats: number;
  stable: boolean;
}

export async function planNationalRound(actor: Actor, options: { dryRun: boolean; includeSelfReported: boolean }, now: Date): Promise<NationalPlan> {
  const withOpenings: string[] = [];
  await forEachConcurrently(PREFECTURE_CODES, 8, async (prefecture) => {
    if (await hasOpenOpening(prefecture)) withOpenings.push(prefecture);
  });
  return {
    nationalRunId: `nrun_${randomBytes(10).toString('hex')}`,
    requestedBy: { sub: actor.sub, role: 'admin' },
    requestedAt: now.toISOString(),
    dryRun: options.dryRun,
    includeSelfReported: options.includeSelfReported,
    prefectures: withOpenings.sort(),
  };
}

export async function runPrefectureStep(plan: NationalPlan, prefecture: string, now: Date): Promise<PrefectureOutcome> {
  const { run } = await createMatchRun(plan.requestedBy, { prefecture, dryRun: plan.dryRun, includeSelfReported: plan.includeSelfReported }, now);
  return { prefecture, runId: run.runId, matched: run.counts.matched, unmatched: run.counts.unmatched, seats: run.counts.seats, stable: run.stable };
}

export async function summarizeNationalRound(plan: NationalPlan, outcomes: PrefectureOutcome[], now: Date): Promise<NationalRun> {
  const summary: NationalRun = {
    ...plan,
    completedAt: now.toISOString(),
    runs: [...outcomes].sort((a, b) => a.prefecture.localeCompare(b.prefecture)),
    totals: {
      prefectures: outcomes.length,
      matched: outcomes.reduce((n, o) => n + o.matched, 0),
      seats: outcomes.reduce((n, o) => n + o.seats, 0),
      stable: outcomes.every((o) => o.stable),
    },
  };
  await putNationalRun(summary);
  return summary;
}

export const getNationalRound = (nationalRunId: string): Promise<NationalRun | undefined> => getNationalRun(nationalRunId);

/** The local host's stand-in for the state machine: the same steps, one after another. */
export async function runNationalRoundInProcess(actor: Actor, options: { dryRun: boolean; includeSelfReported: boolean }, now: Date) {
  const plan = await planNationalRound(actor, options, now);
  const outcomes: PrefectureOutcome[] = [];
  for (const prefecture of plan.prefectures) outcomes.push(await runPrefectureStep(plan, prefecture, now));
  return summarizeNationalRound(plan, outcomes, now);
}
