import { withOriginalStack } from '../../shared/stack-trace';
import { planNationalRound, type NationalPlan } from '../../shared/workflows/national-round';

/** Step 1 of the national round state machine: which prefectures have open openings. */
export const handler = withOriginalStack(
  async (input: { requestedBy: { sub: string }; dryRun: boolean; includeSelfReported: boolean; nationalRunId: string }): Promise<NationalPlan> => {
    const plan = await planNationalRound({ sub: input.requestedBy.sub, role: 'admin' }, input, new Date());
    return { ...plan, nationalRunId: input.nationalRunId };
  },
);
