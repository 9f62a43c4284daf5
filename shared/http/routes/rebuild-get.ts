import * as rebuilds from '../../schemas/rebuilds';
import { route } from '../route';
import { notFound, problemResponses } from './responses';

export const getRebuild = route({
  method: 'GET',
  path: '/v1/rebuilds/{rebuildId}',
  handler: 'rebuild-get',
  data: 'read',
  access: { kind: 'roles', roles: ['admin'] },
  summary: "A rebuild of every learner's derived state: segments and learners done, errors",
  tag: 'catalog',
  params: rebuilds.rebuildParams,
  responses: { 200: { description: 'The rebuild', schema: rebuilds.rebuildView }, ...problemResponses, 404: notFound },
});
