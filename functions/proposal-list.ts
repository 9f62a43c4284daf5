import { listOwnProposals } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.listMyProposals, async ({ actor, query }) => ({
  body: await listOwnProposals(actor, query.cursor, query.limit ?? 50, new Date()),
}));
