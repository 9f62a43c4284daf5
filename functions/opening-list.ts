import { findOpenings } from '../shared/domain/openings';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/opening-list';

export const handler = pagedHttpHandler(route.listOpenings, async ({ actor, query }) => ({
  body: await findOpenings(actor, query),
  // Anonymous answers hold open openings only, the same for everyone.
  headers: { 'cache-control': actor ? 'private, no-store' : 'public, max-age=60' },
}));
