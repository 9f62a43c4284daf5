import * as progress from '../../schemas/progress';
import { route } from '../route';
import { problemResponses } from './responses';

export const listProgressRevisions = route({
  method: 'GET',
  path: '/v1/progress/revisions',
  handler: 'progress-revisions',
  data: 'read',
  access: { kind: 'roles', roles: ['admin'] },
  summary:
    'Why a published fiscal-year figure changed: qualifications whose day moved earlier when earlier-dated verified evidence arrived, oldest first (from, to, prefecture, when; never who)',
  tag: 'progress',
  query: progress.revisionsQuery,
  responses: { 200: { description: 'A page of revisions', schema: progress.revisionList }, ...problemResponses },
});
