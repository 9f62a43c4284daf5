import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses } from './responses';

export const createMatchRun = route({
  method: 'POST',
  path: '/v1/match-runs',
  handler: 'match-run-create',
  data: 'read-write',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary: "Run a matching round over a prefecture's open openings and consenting candidates (deferred acceptance); a dry run is not published",
  tag: 'matching',
  idempotent: true,
  body: { json: matching.createMatchRunBody },
  lambda: { memoryMb: 2048, timeoutSeconds: 29 },
  responses: { 201: { description: 'The run and its outcome' }, ...problemResponses },
});
