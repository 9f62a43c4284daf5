import { readProposal } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/proposal-get';

export const handler = httpHandler(route.getProposal, async ({ actor, params }) => ({ body: await readProposal(actor, params.proposalId, new Date()) }));
