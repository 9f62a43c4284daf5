import * as common from '../../schemas/common';
import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const decideProposal = route({
  method: 'POST',
  path: '/v1/proposals/{proposalId}/decision',
  handler: 'proposal-decide',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'employer', 'municipality'] },
  summary: 'Accept or decline: the candidate first, then the organisation; both accepting records the placement',
  tag: 'matching',
  params: matching.proposalParams,
  body: { json: matching.decisionBody },
  responses: {
    200: { description: 'The proposal after the decision', schema: matching.proposalView },
    ...problemResponses,
    404: notFound,
    409: { description: 'Not your turn, or already decided', schema: common.problem },
  },
});
