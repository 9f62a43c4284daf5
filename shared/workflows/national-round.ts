import { randomBytes } from 'node:crypto';
import { allProposalsOfRun, transitionProposal, type Proposal } from '../data/matching';
import { getNationalRun, type NationalRun, putNationalRun } from '../data/national-runs';
import { hasOpenOpening } from '../data/openings';
import { createMatchRun } from '../domain/match-runs';
import type { Actor } from '../identity';
import { PREFECTURE_CODES } from '../ids';
import { forEachConcurrently } from '../concurrency';
import { logger } from '../log';

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

export interface CompletedPrefecture {
  prefecture: string;
  runId: string;
  matched: number;
  unmatched: number;
  seats: number;
  stable: boolean;
}

/** A prefecture whose round failed: listed in the summary, never dropped, while the others finish. */
export interface FailedPrefecture {
  prefecture: string;
  failed: true;
  /** The error's kind and message, short. */
  error: string;
}

export type PrefectureOutcome = CompletedPrefecture | FailedPrefecture;

/** The stored summary: the totals also say how many prefectures failed. */
export interface NationalRoundSummary extends NationalRun {
  totals: NationalRun['totals'] & { failed: number };
}

const ERROR_TEXT_MAX = 300;

/**
 * A failed prefecture from what was thrown in process, or from the error Step Functions
 * caught (`{ Error, Cause }`, the Cause of a Lambda error being its JSON error report).
 */
export function failedPrefecture(prefecture: string, error: unknown): FailedPrefecture {
  let text = 'unknown error';
  if (error instanceof Error) text = `${error.name}: ${error.message}`;
  else if (error && typeof error === 'object' && 'Error' in error) {
    const { Error: kind, Cause: cause } = error as { Error?: unknown; Cause?: unknown };
    text = String(kind);
    try {
      const report = JSON.parse(String(cause)) as { errorType?: string; errorMessage?: string };
      if (report.errorMessage) text = `${report.errorType ?? text}: ${report.errorMessage}`;
    } catch {
      if (cause) text = `${text}: ${String(cause)}`;
    }
  }
  logger.error('national round: a prefecture failed', { prefecture, errorKind: text.split(':')[0] });
  return { prefecture, failed: true, error: text.slice(0, ERROR_TEXT_MAX) };
}

const hasFailed = (outcome: PrefectureOutcome): outcome is FailedPrefecture => 'failed' in outcome && outcome.failed === true;

export async function planNationalRound(actor: Actor, options: { dryRun: boolean; includeSelfReported: boolean }, now: Date): Promise<NationalPlan> {
  const withOpenings: string[] = [];
  await forEachConcurrently(PREFECTURE_CODES, 8, async (prefecture) => {
    // Read on the table, not gsi1: an opening opened a moment ago counts.
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

export async function runPrefectureStep(plan: NationalPlan, prefecture: string, now: Date): Promise<CompletedPrefecture> {
  const { run } = await createMatchRun(plan.requestedBy, { prefecture, dryRun: plan.dryRun, includeSelfReported: plan.includeSelfReported }, now);
  return { prefecture, runId: run.runId, matched: run.counts.matched, unmatched: run.counts.unmatched, seats: run.counts.seats, stable: run.stable };
}

/** Outcomes as the Map state hands them over: completed, or caught with Step Functions' `{ Error, Cause }`. */
export type StepOutcome = CompletedPrefecture | { prefecture: string; failed: true; error: unknown };

/**
 * One seat per person nationally. Each prefecture's round is solved on its own (one
 * national market is the matching-cycles work), so a person who wants two prefectures can
 * be matched in both. Before anything is published, each person keeps their best proposal
 * (higher score, then the lower prefecture code) and the others are withdrawn
 * (`matched-elsewhere`): those seats stay open for the next round. Returns how many were
 * withdrawn: a pure function of the proposals, so a summary step run again says the same.
 */
async function oneSeatPerPerson(runIds: readonly string[]): Promise<number> {
  const proposals: Proposal[] = [];
  await forEachConcurrently(runIds, 4, async (runId) => {
    proposals.push(...(await allProposalsOfRun(runId)));
  });
  const byPerson = new Map<string, Proposal[]>();
  for (const p of proposals) byPerson.set(p.learnerId, [...(byPerson.get(p.learnerId) ?? []), p]);
  const extras = [...byPerson.values()]
    .filter((held) => held.length > 1)
    .flatMap((held) => held.sort((a, b) => b.score - a.score || a.prefecture.localeCompare(b.prefecture)).slice(1));
  await forEachConcurrently(extras, 16, async (p) => {
    await transitionProposal(p.proposalId, 'unpublished', 'withdrawn', undefined, { withdrawnReason: 'matched-elsewhere' });
  });
  return extras.length;
}

export async function summarizeNationalRound(plan: NationalPlan, outcomes: StepOutcome[], now: Date): Promise<NationalRoundSummary> {
  const runs = outcomes.map((o): PrefectureOutcome => {
    if (!('failed' in o)) return o;
    return typeof o.error === 'string' ? { prefecture: o.prefecture, failed: true, error: o.error } : failedPrefecture(o.prefecture, o.error);
  });
  const completed = runs.filter((o): o is CompletedPrefecture => !hasFailed(o));
  const withdrawnDuplicates = await oneSeatPerPerson(completed.map((o) => o.runId));
  const summary: NationalRoundSummary = {
    ...plan,
    completedAt: now.toISOString(),
    runs: runs.sort((a, b) => a.prefecture.localeCompare(b.prefecture)),
    totals: {
      prefectures: runs.length,
      failed: runs.length - completed.length,
      matched: completed.reduce((n, o) => n + o.matched, 0),
      seats: completed.reduce((n, o) => n + o.seats, 0),
      withdrawnDuplicates,
      // Of the rounds that ran; `failed` says whether every planned prefecture did. Seats a
      // person gave up elsewhere make the national outcome no longer certified stable.
      stable: completed.every((o) => o.stable) && withdrawnDuplicates === 0,
    },
  };
  await putNationalRun(summary);
  return summary;
}

export const getNationalRound = (nationalRunId: string): Promise<NationalRun | undefined> => getNationalRun(nationalRunId);

/**
 * The local host's stand-in for the state machine: the same steps, one after another, and
 * a failing prefecture caught and recorded as the Map state's Catch does, the others going on.
 * `runPrefecture` is the step itself; a test may wrap it to make one prefecture fail.
 */
export async function runNationalRoundInProcess(
  actor: Actor,
  options: { dryRun: boolean; includeSelfReported: boolean },
  now: Date,
  runPrefecture: typeof runPrefectureStep = runPrefectureStep,
) {
  const plan = await planNationalRound(actor, options, now);
  const outcomes: PrefectureOutcome[] = [];
  for (const prefecture of plan.prefectures) {
    outcomes.push(await runPrefecture(plan, prefecture, now).catch((error: unknown) => failedPrefecture(prefecture, error)));
  }
  return summarizeNationalRound(plan, outcomes, now);
}
