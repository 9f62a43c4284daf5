import { listOwnProposals } from '../shared/domain/proposals';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/proposal-list';

export const handler = pagedHttpHandler(route.listMyProposals, async ({ actor, query }) => ({
  body: await listOwnProposals(actor, query.cursor, query.limit ?? 50, new Date()),
}));
