import * as common from '../../schemas/common';
import * as matching from '../../schemas/matching';
import { route } from '../route';
import { notFound, problemResponses } from './responses';

export const endPlacement = route({
  method: 'POST',
  path: '/v1/proposals/{proposalId}/end',
  handler: 'proposal-end',
  data: 'read-write',
  access: { kind: 'roles', roles: ['employer', 'municipality', 'center', 'admin'] },
  summary: "Record an accepted placement's last day (its organisation or the center): a person holds one job at a time, and is free for others from then on",
  tag: 'matching',
  params: matching.proposalParams,
  body: { json: matching.placementEndBody },
  responses: {
    200: { description: 'The placement with its end date', schema: matching.proposalView },
    ...problemResponses,
    404: notFound,
    409: { description: 'Not an accepted placement, or it already ended on another day', schema: common.problem },
    422: { description: 'The end date is before the placement was accepted, or after today', schema: common.problem },
  },
});
