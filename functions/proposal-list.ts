import { listOwnProposals } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/proposal-list';

export const handler = httpHandler(route.listMyProposals, async ({ actor, query }) => ({
  body: await listOwnProposals(actor, query.cursor, query.limit ?? 50, new Date()),
}));
