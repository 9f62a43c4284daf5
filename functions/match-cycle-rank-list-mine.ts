import { submitCandidateList } from '../shared/domain/match-cycles';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-cycle-rank-list-mine';

export const handler = httpHandler(route.putMyRankList, async ({ actor, params, body }) => ({
  body: await submitCandidateList(actor, params.cycleId, body.openings, new Date()),
}));
