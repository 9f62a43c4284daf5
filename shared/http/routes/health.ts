import * as common from '../../schemas/common';
import { route } from '../route';

export const health = route({
  method: 'GET',
  path: '/health',
  handler: 'health',
  data: 'none',
  access: { kind: 'public' },
  summary: 'Liveness check',
  tag: 'meta',
  responses: { 200: { description: 'Up', schema: common.health } },
});
