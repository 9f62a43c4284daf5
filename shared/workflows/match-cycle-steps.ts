import {
  buildCyclePrefecture,
  type CyclePlan,
  type CyclePlanned,
  finishCycleStep,
  giveUpCycleStep,
  planCycleRun,
  publishCyclePrefecture,
  solveCycleStep,
} from './match-cycle';
import type { CycleResult } from '../domain/match-cycle-run';
import { logger } from '../log';
import { failedPrefecture } from './national-round';

/**
 * The national round state machine's cycle branch (infra/constructs/national-round.ts), on
 * the round's own two step functions: which step is named by `phase`.
 */
export type WholeCycleStep =
  | { phase: 'plan'; cycleId: string }
  | { phase: 'solve'; plan: CyclePlan }
  | { phase: 'finish'; plan: CyclePlan; result: CycleResult | null }
  | { phase: 'give-up'; cycleId: string; error: unknown };
export type PrefectureCycleStep = { phase: 'build' | 'publish'; plan: CyclePlan; prefecture: string };

export const isCycleStep = (input: object): input is WholeCycleStep | PrefectureCycleStep => 'phase' in input;

export async function wholeCycleStep(input: WholeCycleStep): Promise<CyclePlanned | CycleResult | null> {
  const now = new Date();
  switch (input.phase) {
    case 'plan':
      return planCycleRun(input.cycleId, now);
    case 'solve':
      return (await solveCycleStep(input.plan, now)) ?? null;
    case 'finish':
      await finishCycleStep(input.plan, input.result ?? undefined, now);
      return null;
    case 'give-up':
      // Only the error's kind is logged: its text can name people (the solver's does).
      logger.error('national cycle run failed', { cycleId: input.cycleId, errorKind: failedPrefecture('national cycle', input.error).error.split(':')[0] });
      await giveUpCycleStep(input.cycleId);
      return null;
  }
}

export const prefectureCycleStep = (input: PrefectureCycleStep) =>
  input.phase === 'build' ? buildCyclePrefecture(input.plan, input.prefecture) : publishCyclePrefecture(input.plan, input.prefecture);
