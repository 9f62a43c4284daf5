import { placementsReport } from '../shared/domain/progress';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getPlacementsReport, async ({ actor, query }) => ({
  body: await placementsReport(actor, query, new Date()),
  headers: { 'cache-control': actor ? 'private, no-store' : 'public, max-age=30' },
}));
