import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses } from './responses';

export const getPlacementsReport = route({
  method: 'GET',
  path: '/v1/progress/placements',
  handler: 'placements-report',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary:
    'Placements by workplace prefecture, work style and fiscal year, and the flows from residence to workplace prefecture (counts under 10 suppressed for the public)',
  tag: 'progress',
  query: matching.placementsQuery,
  // A token (admin, a center) unlocks counts under 10.
  publicCache: { maxAgeSeconds: 20, vary: ['authorization'] },
  responses: { 200: { description: 'The report' }, 400: problemResponses[400], 401: problemResponses[401] },
});
