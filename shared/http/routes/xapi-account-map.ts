import * as xapi from '../../schemas/xapi';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const mapXapiAccount = route({
  method: 'POST',
  path: '/v1/xapi/accounts',
  handler: 'xapi-account-map',
  data: 'read-write',
  access: { kind: 'roles', roles: ['provider'] },
  summary:
    'Say which learner (one who linked you) an account name of your learning system is, so your xAPI statements about that account reach them; a later mapping of the name replaces it',
  tag: 'xapi',
  body: { json: xapi.lmsAccountBody },
  responses: { 200: { description: 'Mapped', schema: xapi.lmsAccountMapped }, ...problemResponses, 422: unprocessable },
});
