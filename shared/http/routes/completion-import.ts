import * as common from '../../schemas/common';
import * as completions from '../../schemas/completions';
import * as imports from '../../schemas/imports';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

/** The CSV columns of a bulk completion upload, documented once for README and OpenAPI. */
export const completionCsvDescription =
  'CSV in UTF-8 (with or without BOM) or Shift_JIS (CP932, as Japanese Excel saves "CSV"), from the charset parameter of Content-Type or detected; CRLF or LF line ends; at most 10,000 data rows. Header row required: learner_id, course_id, completed_on (YYYY-MM-DD, or YYYY/M/D as Excel re-saves it, Japan time), and optionally certificate_number, evidence_url; or their Japanese names 学習者ID, 講座ID, 修了日, 証明書番号, 証跡URL. Rows are numbered as in a spreadsheet (the header is row 1). Up to 500 data rows are stored within the request (200); a larger file is checked, queued and answered 202 with a job to follow at GET /v1/imports/{importId}.';

export const importCompletions = route({
  method: 'POST',
  path: '/v1/completions/import',
  handler: 'completion-import',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary: 'Report completions of your courses in bulk from a CSV file',
  tag: 'completions',
  body: { csv: { description: completionCsvDescription } },
  // A retried upload (same key, same file) gets the first answer, and so the same job.
  idempotent: true,
  maxBodyBytes: 2 * 1024 * 1024,
  lambda: { memoryMb: 1024, timeoutSeconds: 29 },
  responses: {
    200: { description: 'Per-row outcome (files up to 500 data rows)', schema: completions.importResult },
    202: { description: 'Queued (larger files): the job, also at the Location header', schema: imports.importJob },
    ...problemResponses,
    413: { description: 'Over 2 MB', schema: common.problem },
    415: { description: 'Not text/csv', schema: common.problem },
    422: unprocessable,
  },
});
