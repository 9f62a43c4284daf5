import * as catalog from '../../schemas/catalog';
import { route } from '../route';

export const listCatalog = route({
  method: 'GET',
  path: '/v1/catalog',
  handler: 'catalog-list',
  data: 'read',
  access: { kind: 'public' },
  summary: 'Installed catalog versions and the current one',
  tag: 'catalog',
  responses: { 200: { description: 'Versions', schema: catalog.catalogList } },
});
