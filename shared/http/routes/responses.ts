import * as common from '../../schemas/common';

/** Answers many routes share, declared once for the route modules beside this file. */
export const problemResponses = {
  400: { description: 'The request does not match the schema', schema: common.problem },
  401: { description: 'No valid bearer token', schema: common.problem },
  403: { description: 'The caller may not do this', schema: common.problem },
} as const;
export const notFound = { description: 'No such resource (or not visible to the caller)', schema: common.problem } as const;
export const unprocessable = { description: 'Breaks a rule of the domain (unknown course or item, date out of range, …)', schema: common.problem } as const;

/** Content-Disposition of a route whose table comes as a file (CSV, XLSX) beside its JSON. */
export const fileHeaders = {
  'Content-Disposition': {
    description: 'With the CSV or XLSX representation (not the JSON one): `attachment; filename="…"`, so a browser saves it as a file',
  },
} as const;

/** Link of an install that starts a rebuild of derived state. */
export const rebuildLink = {
  Link: { description: 'The rebuild the install started: `</v1/rebuilds/{rebuildId}>; rel="related"; title="rebuild"`', required: true },
} as const;
