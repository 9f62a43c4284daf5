import { withOriginalStack } from '../../shared/stack-trace';
import { isCycleStep, type WholeCycleStep, wholeCycleStep } from '../../shared/workflows/match-cycle-steps';
import { summarizeNationalRound, type NationalPlan, type StepOutcome } from '../../shared/workflows/national-round';

/**
 * Step 3: the national summary, stored for GET /v1/national-match-runs/{id}. A prefecture
 * the Map state caught arrives as `{ prefecture, failed: true, error: { Error, Cause } }`
 * and is listed as failed.
 */
export const handler = withOriginalStack(async (input: { plan: NationalPlan & { outcomes?: unknown }; outcomes: StepOutcome[] } | WholeCycleStep) => {
  // A national matching cycle's whole-market steps run here too (shared/workflows/match-cycle-steps.ts).
  if (isCycleStep(input)) return wholeCycleStep(input as WholeCycleStep);
  const { outcomes: _alsoInPlan, ...plan } = input.plan;
  return summarizeNationalRound(plan, input.outcomes, new Date());
});
