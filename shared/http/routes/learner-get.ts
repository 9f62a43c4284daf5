import * as learners from '../../schemas/learners';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getLearner = route({
  method: 'GET',
  path: '/v1/learners/{learnerId}',
  handler: 'learner-get',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'center', 'admin'] },
  summary:
    'A learner profile without contact details: the learner, a center their consent scope allows (their prefectures; every center with place-free consent), or admin (reads are audited)',
  tag: 'learners',
  params: learners.learnerParams,
  responses: { 200: { description: 'The profile', schema: learners.profileView }, ...problemResponses, 404: notFound },
});
