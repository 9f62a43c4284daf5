import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses } from './responses';

export const createMatchRun = route({
  method: 'POST',
  path: '/v1/match-runs',
  handler: 'match-run-create',
  data: 'read-write',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary:
    "Request a matching round over a prefecture's open openings and consenting candidates (deferred acceptance): computed by a job, followed at Location until its status is no longer computing; a dry run is not published",
  tag: 'matching',
  idempotent: true,
  body: { json: matching.createMatchRunBody },
  responses: {
    202: { description: 'The round as requested (status computing); GET its Location for the outcome', schema: matching.matchRunView },
    ...problemResponses,
  },
});
