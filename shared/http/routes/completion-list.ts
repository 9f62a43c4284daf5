import * as completions from '../../schemas/completions';
import * as learners from '../../schemas/learners';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const listCompletions = route({
  method: 'GET',
  path: '/v1/learners/{learnerId}/completions',
  handler: 'completion-list',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'provider', 'center', 'admin'] },
  summary: "A learner's completions (a provider sees those of its own courses only)",
  tag: 'completions',
  params: learners.learnerParams,
  query: completions.listCompletionsQuery,
  responses: { 200: { description: 'A page of completions', schema: completions.completionList }, ...problemResponses, 404: notFound },
});
