import * as common from '../../schemas/common';
import * as completions from '../../schemas/completions';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

/** The CSV columns of a bulk completion upload, documented once for README and OpenAPI. */
export const completionCsvDescription =
  'UTF-8 CSV (with or without BOM), at most 10,000 data rows. Header row required: learner_id, course_id, completed_on (YYYY-MM-DD, Japan time), and optionally certificate_number, evidence_url. Rows are numbered as in a spreadsheet (the header is row 1).';

export const importCompletions = route({
  method: 'POST',
  path: '/v1/completions/import',
  handler: 'completion-import',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary: 'Report completions of your courses in bulk from a CSV file',
  tag: 'completions',
  body: { csv: { description: completionCsvDescription } },
  maxBodyBytes: 2 * 1024 * 1024,
  lambda: { memoryMb: 1024, timeoutSeconds: 29 },
  responses: {
    200: { description: 'Per-row outcome', schema: completions.importResult },
    ...problemResponses,
    413: { description: 'Over 2 MB', schema: common.problem },
    415: { description: 'Not text/csv', schema: common.problem },
    422: unprocessable,
  },
});
