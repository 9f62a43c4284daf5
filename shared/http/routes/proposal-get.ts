import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getProposal = route({
  method: 'GET',
  path: '/v1/proposals/{proposalId}',
  handler: 'proposal-get',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'employer', 'municipality', 'center', 'admin'] },
  summary: "One proposal; the candidate's name and contact only once both sides accepted (reads audited)",
  tag: 'matching',
  params: matching.proposalParams,
  responses: { 200: { description: 'The proposal', schema: matching.proposalView }, ...problemResponses, 404: notFound },
});
