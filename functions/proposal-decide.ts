import { decideProposal } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/proposal-decide';

export const handler = httpHandler(route.decideProposal, async ({ actor, params, body }) => ({
  body: await decideProposal(actor, params.proposalId, body.decision, new Date()),
}));
