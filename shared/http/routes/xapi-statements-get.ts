import * as common from '../../schemas/common';
import * as xapi from '../../schemas/xapi';
import { route } from '../route';

const problem = (description: string) => ({ description, schema: common.problem });

export const getXapiStatements = route({
  method: 'GET',
  path: '/xapi/statements',
  handler: 'xapi-statements-get',
  data: 'read',
  access: { kind: 'lrs-client' },
  summary: "xAPI: one of the caller's statements (statementId), or its statements oldest first (limit, at most 100; no further pages)",
  tag: 'xapi',
  query: xapi.getStatementsQuery,
  responses: {
    200: { description: 'A statement, or a StatementResult', schema: xapi.statementDocument },
    400: problem('A bad query, or the version header is missing'),
    401: problem('No valid LRS client key and secret'),
    404: problem('No such statement of yours'),
  },
});
