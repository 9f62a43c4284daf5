import { registerOwnOrganisation } from '../shared/domain/organisations';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.putMyOrganisation, async ({ actor, body }) => {
  const { created, view } = await registerOwnOrganisation(actor, body, new Date());
  return { status: created ? 201 : 200, body: view };
});
