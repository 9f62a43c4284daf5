import { withOriginalStack } from '../../shared/stack-trace';
import { isCycleStep, type PrefectureCycleStep, prefectureCycleStep } from '../../shared/workflows/match-cycle-steps';
import { runPrefectureStep, type NationalPlan } from '../../shared/workflows/national-round';

/** Step 2 (inside the Map state): one prefecture's round, one invocation. */
export const handler = withOriginalStack(async (input: { plan: NationalPlan; prefecture: string } | PrefectureCycleStep) =>
  // A national matching cycle's Map steps run here too (shared/workflows/match-cycle-steps.ts).
  isCycleStep(input) ? prefectureCycleStep(input as PrefectureCycleStep) : runPrefectureStep(input.plan, input.prefecture, new Date()),
);
