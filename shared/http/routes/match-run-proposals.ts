import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const listMatchRunProposals = route({
  method: 'GET',
  path: '/v1/match-runs/{runId}/proposals',
  handler: 'match-run-proposals',
  data: 'read',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary: "A round's proposals, each with its explanation",
  tag: 'matching',
  params: matching.runParams,
  query: matching.listProposalsQuery,
  responses: { 200: { description: 'A page of proposals', schema: matching.proposalPage }, ...problemResponses, 404: notFound },
});
