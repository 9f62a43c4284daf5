import { endPlacement } from '../shared/domain/proposals';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/proposal-end';

export const handler = httpHandler(route.endPlacement, async ({ actor, params, body }) => ({
  body: await endPlacement(actor, params.proposalId, body.endedOn, new Date()),
}));
