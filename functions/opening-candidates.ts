import { rankCandidatesForOpening } from '../shared/domain/candidates';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/opening-candidates';

export const handler = pagedHttpHandler(route.rankCandidates, async ({ actor, params, query }) => ({
  body: await rankCandidatesForOpening(
    actor,
    params.openingId,
    { includeSelfReported: query.includeSelfReported === true, limit: query.limit ?? 20, cursor: query.cursor },
    new Date(),
  ),
}));
