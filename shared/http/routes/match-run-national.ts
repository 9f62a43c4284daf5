import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses } from './responses';

export const startNationalRound = route({
  method: 'POST',
  path: '/v1/national-match-runs',
  handler: 'match-run-national',
  data: 'read-write',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'Run a round in every prefecture with open openings (Step Functions Map in AWS: 202; in process locally: 201)',
  tag: 'matching',
  body: { json: matching.nationalRunBody },
  startsWorkflow: 'nationalRound',
  lambda: { memoryMb: 2048, timeoutSeconds: 29 },
  responses: {
    201: { description: 'Completed (local host)', schema: matching.nationalRoundView },
    202: { description: 'Started (AWS)', schema: matching.nationalRoundStarted },
    ...problemResponses,
  },
});
