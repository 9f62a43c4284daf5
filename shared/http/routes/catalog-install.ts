import * as catalog from '../../schemas/catalog';
import * as common from '../../schemas/common';
import { route } from '../route';
import { problemResponses, rebuildLink } from './responses';

export const installCatalog = route({
  method: 'POST',
  path: '/v1/catalog/versions',
  handler: 'catalog-install',
  data: 'read-write',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'Install a catalog version (immutable once installed)',
  tag: 'catalog',
  body: { json: catalog.installCatalogBody },
  maxBodyBytes: 1024 * 1024,
  startsWorkflow: 'rebuild',
  responses: {
    201: { description: 'Installed', schema: catalog.catalogSummary, headers: rebuildLink },
    200: { description: 'The same content was already installed', schema: catalog.catalogSummary, headers: rebuildLink },
    ...problemResponses,
    409: { description: 'The version exists with different content', schema: common.problem },
    422: { description: 'The catalog is inconsistent', schema: common.problem },
  },
});
