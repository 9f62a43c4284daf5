import * as common from '../../schemas/common';
import * as xapi from '../../schemas/xapi';
import { route } from '../route';

const problem = (description: string) => ({ description, schema: common.problem });

export const postXapiStatements = route({
  method: 'POST',
  path: '/xapi/statements',
  handler: 'xapi-statements-post',
  data: 'read-write',
  access: { kind: 'lrs-client' },
  summary:
    'xAPI: store a statement or a batch (at most 50); completed/passed statements about an activity a course registered become verified completions for the linked learner. Header X-Experience-API-Version: 1.0.x',
  tag: 'xapi',
  body: { json: xapi.postStatementsBody },
  maxBodyBytes: 1024 * 1024,
  responses: {
    200: { description: 'The statement ids, in order', schema: xapi.statementIds },
    400: problem('Not a valid statement (or batch), or the version header is missing'),
    401: problem('No valid LRS client key and secret'),
    409: problem('A statement id is stored already with other content: nothing in the request was stored'),
  },
});
