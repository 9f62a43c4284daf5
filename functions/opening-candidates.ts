import { rankCandidatesForOpening } from '../shared/domain/candidates';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.rankCandidates, async ({ actor, params, query }) => ({
  body: await rankCandidatesForOpening(
    actor,
    params.openingId,
    { includeSelfReported: query.includeSelfReported === 'true', limit: query.limit ?? 20, cursor: query.cursor },
    new Date(),
  ),
}));
