import * as learners from '../../schemas/learners';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getSkills = route({
  method: 'GET',
  path: '/v1/learners/{learnerId}/skills',
  handler: 'learner-skills',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'center', 'admin'] },
  summary: "A learner's standing against DSS-L and DSS-P: items, coverage, role readiness, tags, qualifications, and courses that would close the gaps",
  tag: 'skills',
  params: learners.learnerParams,
  responses: { 200: { description: 'The skill profile', schema: learners.skillsView }, ...problemResponses, 404: notFound },
});
