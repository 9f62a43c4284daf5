import { registerOwnOrganisation } from '../shared/domain/organisations';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/organisation-put-me';

export const handler = httpHandler(route.putMyOrganisation, async ({ actor, body }) => {
  const { created, view } = await registerOwnOrganisation(actor, body, new Date());
  return { status: created ? 201 : 200, body: view, headers: { location: '/v1/organisations/me' } };
});
