import * as catalog from '../../schemas/catalog';
import * as common from '../../schemas/common';
import { route } from '../route';
import { problemResponses } from './responses';

export const getCatalogRole = route({
  method: 'GET',
  path: '/v1/catalog/{version}/roles/{roleId}',
  handler: 'catalog-role',
  data: 'read',
  access: { kind: 'public' },
  summary: 'One DSS-P role with the importance of every skill item for it',
  tag: 'catalog',
  params: catalog.roleParams,
  responses: {
    200: { description: 'The role', schema: catalog.roleView },
    400: problemResponses[400],
    404: { description: 'No such version or role', schema: common.problem },
  },
});
