import { cycleOpeningsView } from '../shared/domain/match-cycles';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-cycle-openings';

export const handler = httpHandler(route.listMatchCycleOpenings, async ({ actor, params }) => ({
  body: await cycleOpeningsView(actor, params.cycleId, new Date()),
}));
