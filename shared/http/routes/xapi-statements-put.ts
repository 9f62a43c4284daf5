import * as common from '../../schemas/common';
import * as xapi from '../../schemas/xapi';
import { route } from '../route';

const problem = (description: string) => ({ description, schema: common.problem });

export const putXapiStatement = route({
  method: 'PUT',
  path: '/xapi/statements',
  handler: 'xapi-statements-put',
  data: 'read-write',
  access: { kind: 'lrs-client' },
  summary: 'xAPI: store one statement under the given statementId (idempotent: the same statement again changes nothing)',
  tag: 'xapi',
  query: xapi.putStatementQuery,
  body: { json: xapi.putStatementBody },
  responses: {
    204: { description: 'Stored (or stored already)' },
    400: problem('Not a valid statement, ids differ, or the version header is missing'),
    401: problem('No valid LRS client key and secret'),
    409: problem('The id is stored already with other content'),
  },
});
