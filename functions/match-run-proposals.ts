import { matchRunProposals } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.listMatchRunProposals, async ({ actor, params, query }) => ({
  body: await matchRunProposals(actor, params.runId, query.cursor, query.limit ?? 50, new Date()),
}));
