import { storeStatements } from '../shared/domain/xapi-statements';
import { checkStatementsConsistent, checkXapiVersion, lrsHttpHandler } from '../shared/http/lrs-handler';
import * as route from '../shared/http/routes/xapi-statements-post';

export const handler = lrsHttpHandler(route.postXapiStatements, async ({ actor, body, headers }) => {
  const version = checkXapiVersion(headers);
  const statements = Array.isArray(body) ? body : [body];
  checkStatementsConsistent(statements);
  const ids = await storeStatements({ ...actor, org: actor.org! }, statements, new Date());
  return { body: ids, headers: version };
});
