import { withOriginalStack } from '../../shared/stack-trace';
import { runPrefectureStep, type NationalPlan } from '../../shared/workflows/national-round';

/** Step 2 (inside the Map state): one prefecture's round, one invocation. */
export const handler = withOriginalStack(async (input: { plan: NationalPlan; prefecture: string }) =>
  runPrefectureStep(input.plan, input.prefecture, new Date()),
);
