import { withOriginalStack } from '../../shared/stack-trace';
import { summarizeNationalRound, type NationalPlan, type PrefectureOutcome } from '../../shared/workflows/national-round';

/** Step 3: the national summary, stored for GET /v1/match-runs/national/{id}. */
export const handler = withOriginalStack(async (input: { plan: NationalPlan & { outcomes?: unknown }; outcomes: PrefectureOutcome[] }) => {
  const { outcomes: _alsoInPlan, ...plan } = input.plan;
  return summarizeNationalRound(plan, input.outcomes, new Date());
});
