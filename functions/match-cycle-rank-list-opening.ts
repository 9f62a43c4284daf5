import { submitOpeningList } from '../shared/domain/match-cycles';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-cycle-rank-list-opening';

export const handler = httpHandler(route.putOpeningRankList, async ({ actor, params, body }) => ({
  body: await submitOpeningList(actor, params.cycleId, params.openingId, body.candidates, new Date()),
}));
