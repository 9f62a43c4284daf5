import * as common from '../../schemas/common';
import * as progress from '../../schemas/progress';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const getProgress = route({
  method: 'GET',
  path: '/v1/progress',
  handler: 'progress',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary:
    'Progress toward 2,300,000 digital promotion talent by the end of FY2026: people qualified, completions, pace and projection, by prefecture, talent type, role and fiscal year (Accept: text/csv for a table)',
  tag: 'progress',
  query: progress.progressQuery,
  // Records reach the aggregates 30-35 s after they are written (the pending hold and the
  // 5 s poll); 20 s at the edge keeps public figures within the minute progress promises.
  // JSON or CSV by Accept; a token unlocks finer cells.
  publicCache: { maxAgeSeconds: 20, vary: ['accept', 'authorization'] },
  responses: {
    200: {
      description: 'The report (counts under 10 shown as null in public answers)',
      alternatives: { 'text/csv': { description: 'The same figures as a UTF-8 CSV table' } },
    },
    400: problemResponses[400],
    401: problemResponses[401],
    403: { description: "Prefecture x type/role cells are for admin and that prefecture's center", schema: common.problem },
    422: unprocessable,
  },
});
