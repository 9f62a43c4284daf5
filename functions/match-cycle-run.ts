import { requestCycleRun } from '../shared/domain/match-cycle-run';
import { cycleView } from '../shared/domain/match-cycle-results';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-cycle-run';

export const handler = httpHandler(route.runMatchCycle, async ({ actor, params }) => {
  const now = new Date();
  const cycle = await requestCycleRun(actor, params.cycleId, now);
  return { status: 202, body: cycleView(cycle, now), headers: { location: `/v1/match-cycles/${cycle.cycleId}` } };
});
