import * as matching from '../../schemas/matching';
import * as progress from '../../schemas/progress';
import { route } from '../route';
import { fileHeaders, problemResponses } from './responses';

export const getPlacementsReport = route({
  method: 'GET',
  path: '/v1/progress/placements',
  handler: 'placements-report',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary:
    'Placements by workplace prefecture, work style and fiscal year, and the flows from residence to workplace prefecture (counts under 10 suppressed for the public; Accept: text/csv for a table)',
  tag: 'progress',
  query: matching.placementsQuery,
  // A token (admin, a center) unlocks counts under 10; JSON or CSV by Accept (or format=csv).
  publicCache: { maxAgeSeconds: 20, vary: ['accept', 'authorization'] },
  responses: {
    200: {
      description: 'The report',
      headers: fileHeaders,
      schema: progress.placementsReportView,
      alternatives: { 'text/csv': { description: 'The same figures, flows included, as a UTF-8 CSV table' } },
    },
    400: problemResponses[400],
    401: problemResponses[401],
  },
});
