import { issueLrsClient } from '../shared/domain/xapi-clients';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/xapi-client-create';

export const handler = httpHandler(route.createXapiClient, async ({ actor }) => ({
  status: 201,
  body: await issueLrsClient({ ...actor, org: actor.org! }, new Date()),
}));
