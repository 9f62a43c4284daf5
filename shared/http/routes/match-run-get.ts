import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getMatchRun = route({
  method: 'GET',
  path: '/v1/match-runs/{runId}',
  handler: 'match-run-get',
  data: 'read',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary: 'A matching round: scope, counts, status',
  tag: 'matching',
  params: matching.runParams,
  responses: { 200: { description: 'The run', schema: matching.matchRunView }, ...problemResponses, 404: notFound },
});
