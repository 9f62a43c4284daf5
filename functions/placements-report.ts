import { placementsReport } from '../shared/domain/progress';
import { httpHandler } from '../shared/http/handler';
import { publicCacheHeaders } from '../shared/http/public-cache';
import * as route from '../shared/http/routes/placements-report';

export const handler = httpHandler(route.getPlacementsReport, async ({ actor, query }) => ({
  body: await placementsReport(actor, query, new Date()),
  headers: publicCacheHeaders(route.getPlacementsReport, actor),
}));
