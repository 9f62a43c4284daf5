import { mapLmsAccount } from '../shared/domain/provider-links';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/xapi-account-map';

export const handler = httpHandler(route.mapXapiAccount, async ({ actor, body }) => ({
  body: await mapLmsAccount({ ...actor, org: actor.org! }, body.learnerId, body.accountName, new Date()),
}));
