import { cycleViewFor } from '../shared/domain/match-cycle-results';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-cycle-get';

export const handler = httpHandler(route.getMatchCycle, async ({ actor, params }) => ({ body: await cycleViewFor(actor, params.cycleId, new Date()) }));
