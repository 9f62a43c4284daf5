import { readProposal } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getProposal, async ({ actor, params }) => ({ body: await readProposal(actor, params.proposalId, new Date()) }));
