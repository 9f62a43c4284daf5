import { putOneStatement } from '../shared/domain/xapi-statements';
import { checkStatementsConsistent, checkXapiVersion, lrsHttpHandler } from '../shared/http/lrs-handler';
import * as route from '../shared/http/routes/xapi-statements-put';

export const handler = lrsHttpHandler(route.putXapiStatement, async ({ actor, body, query, headers }) => {
  const version = checkXapiVersion(headers);
  checkStatementsConsistent([body], query.statementId);
  await putOneStatement({ ...actor, org: actor.org! }, query.statementId, body, new Date());
  return { status: 204, headers: version };
});
