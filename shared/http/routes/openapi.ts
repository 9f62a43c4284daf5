import * as common from '../../schemas/common';
import { route } from '../route';

export const openapi = route({
  method: 'GET',
  path: '/openapi.json',
  handler: 'openapi',
  data: 'none',
  access: { kind: 'public' },
  summary: 'This API as an OpenAPI 3.1 document',
  tag: 'meta',
  responses: { 200: { description: 'The OpenAPI document', schema: common.openApiDocument } },
});
