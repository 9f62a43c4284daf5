import { matchRunProposals } from '../shared/domain/match-runs';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/match-run-proposals';

export const handler = pagedHttpHandler(route.listMatchRunProposals, async ({ actor, params, query }) => ({
  body: await matchRunProposals(actor, params.runId, query.cursor, query.limit ?? 50, new Date()),
}));
