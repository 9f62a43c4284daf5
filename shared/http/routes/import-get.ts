import * as imports from '../../schemas/imports';
import { route } from '../route';
import { notFound, problemResponses } from './responses';

export const getImport = route({
  method: 'GET',
  path: '/v1/imports/{importId}',
  handler: 'import-get',
  data: 'read',
  access: { kind: 'roles', roles: ['provider', 'admin'] },
  summary: 'A queued CSV import: rows done, stored and rejected so far, and whether it has finished',
  tag: 'completions',
  params: imports.importParams,
  responses: { 200: { description: 'The import job', schema: imports.importJob }, ...problemResponses, 404: notFound },
});
