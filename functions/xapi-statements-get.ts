import { readStatements } from '../shared/domain/xapi-statements';
import { checkXapiVersion, lrsHttpHandler } from '../shared/http/lrs-handler';
import * as route from '../shared/http/routes/xapi-statements-get';

export const handler = lrsHttpHandler(route.getXapiStatements, async ({ actor, query, headers }) => {
  const version = checkXapiVersion(headers);
  const now = new Date().toISOString();
  const found = await readStatements({ ...actor, org: actor.org! }, query);
  return { body: found.one ?? found.many, headers: { ...version, 'x-experience-api-consistent-through': now } };
});
