import * as common from '../../schemas/common';
import { XLSX_MEDIA_TYPE } from '../media-types';
import * as progress from '../../schemas/progress';
import { route } from '../route';
import { fileHeaders, problemResponses, unprocessable } from './responses';

export const getProgress = route({
  method: 'GET',
  path: '/v1/progress',
  handler: 'progress',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary:
    'Progress toward 2,300,000 digital promotion talent by the end of FY2026: people qualified, completions, pace and projection, by prefecture, talent type, role and fiscal year (Accept: text/csv for a table, or the XLSX media type for a workbook; Japanese names by Accept-Language: ja or lang=ja)',
  tag: 'progress',
  query: progress.progressQuery,
  // Records reach the aggregates 30-35 s after they are written (the pending hold and the
  // 5 s poll); 20 s at the edge keeps public figures within the minute progress promises.
  // JSON, CSV or XLSX by Accept, the files' words by Accept-Language; a token unlocks finer cells.
  publicCache: { maxAgeSeconds: 20, vary: ['accept', 'accept-language', 'authorization'] },
  // exceljs (1 MB) would cost every JSON and CSV cold start its parse; it ships beside the bundle.
  lambda: { nodeModules: ['exceljs'] },
  responses: {
    200: {
      description: 'The report (counts under 10 shown as null in public answers)',
      headers: fileHeaders,
      schema: progress.progressReportView,
      alternatives: {
        'text/csv': {
          description:
            'The same figures as a UTF-8 CSV table (with BOM): the counts, a suppressed count marked X and explained in a note row, then the pace figures under their own header',
        },
        [XLSX_MEDIA_TYPE]: {
          description: 'The same tables as an XLSX workbook, a sheet each: codes as text, counts and figures as numbers, a suppressed count the text X',
        },
      },
    },
    400: problemResponses[400],
    401: problemResponses[401],
    403: { description: "Prefecture x type/role cells are for admin and that prefecture's center", schema: common.problem },
    422: unprocessable,
  },
});
