import * as completions from '../../schemas/completions';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const reportCompletion = route({
  method: 'POST',
  path: '/v1/completions',
  handler: 'completion-report',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'provider'] },
  summary: 'Report a completion: a learner self-reports with evidence; a provider reports (or verifies) one of its own courses',
  tag: 'completions',
  idempotent: { learnerField: 'learnerId' },
  body: { json: completions.reportCompletionBody },
  responses: {
    201: { description: 'Recorded', schema: completions.completionView },
    200: { description: 'Already recorded (or now verified): the stored record', schema: completions.completionView },
    ...problemResponses,
    422: unprocessable,
  },
});
