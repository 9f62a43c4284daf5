import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getNationalRound = route({
  method: 'GET',
  path: '/v1/national-match-runs/{nationalRunId}',
  handler: 'match-run-national-get',
  data: 'read',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'A national round: the run of each prefecture and the totals',
  tag: 'matching',
  params: matching.nationalRunParams,
  responses: { 200: { description: 'The national round', schema: matching.nationalRoundView }, ...problemResponses, 404: notFound },
});
