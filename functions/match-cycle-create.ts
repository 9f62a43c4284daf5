import { openCycle } from '../shared/domain/match-cycles';
import { cycleView } from '../shared/domain/match-cycle-results';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-cycle-create';

export const handler = httpHandler(route.createMatchCycle, async ({ actor, body }) => {
  const now = new Date();
  const cycle = await openCycle(actor, body, now);
  return { status: 201, body: cycleView(cycle, now), headers: { location: `/v1/match-cycles/${cycle.cycleId}` } };
});
