import * as progress from '../../schemas/progress';
import { route } from '../route';
import { fileHeaders, problemResponses, unprocessable } from './responses';

export const getProgressSeries = route({
  method: 'GET',
  path: '/v1/progress/series',
  handler: 'progress-series',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary:
    'People qualified toward 2,300,000 by month since April 2022, and cumulatively, nationally: the series behind the progress page line chart (Accept: text/csv for a table)',
  tag: 'progress',
  query: progress.seriesQuery,
  // As GET /v1/progress: the figures move within the minute, JSON or CSV by Accept.
  publicCache: { maxAgeSeconds: 20, vary: ['accept', 'authorization'] },
  responses: {
    200: {
      description: 'The monthly series (public answers publish a count only where no count from 1 to 9 can be recovered by subtraction)',
      headers: fileHeaders,
      schema: progress.monthlySeriesView,
      alternatives: { 'text/csv': { description: 'The same series as a UTF-8 CSV table' } },
    },
    400: problemResponses[400],
    401: problemResponses[401],
    422: unprocessable,
  },
});
