import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses } from './responses';

export const listMyProposals = route({
  method: 'GET',
  path: '/v1/proposals',
  handler: 'proposal-list',
  data: 'read',
  access: { kind: 'roles', roles: ['learner', 'employer', 'municipality'] },
  summary: "Published proposals: a learner's own, or those for an organisation's openings",
  tag: 'matching',
  query: matching.listProposalsQuery,
  responses: { 200: { description: 'A page of proposals', schema: matching.proposalPage }, ...problemResponses },
});
