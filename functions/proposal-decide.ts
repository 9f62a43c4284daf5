import { decideProposal } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.decideProposal, async ({ actor, params, body }) => ({
  body: await decideProposal(actor, params.proposalId, body.decision, new Date()),
}));
