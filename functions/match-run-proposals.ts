import { matchRunProposals } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-proposals';

export const handler = httpHandler(route.listMatchRunProposals, async ({ actor, params, query }) => ({
  body: await matchRunProposals(actor, params.runId, query.cursor, query.limit ?? 50, new Date()),
}));
