import * as catalog from '../../schemas/catalog';
import * as common from '../../schemas/common';
import { route } from '../route';
import { problemResponses } from './responses';

export const getCatalog = route({
  method: 'GET',
  path: '/v1/catalog/{version}',
  handler: 'catalog-get',
  data: 'read',
  access: { kind: 'public' },
  summary: 'A whole catalog version: DSS-L parts and items, DSS-P types, roles, skills and importance',
  tag: 'catalog',
  params: catalog.versionParams,
  responses: {
    200: { description: 'The catalog version', schema: catalog.catalogVersion },
    400: problemResponses[400],
    404: { description: 'No such version', schema: common.problem },
  },
});
