import { readOwnOrganisation } from '../shared/domain/organisations';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getMyOrganisation, async ({ actor }) => ({ body: await readOwnOrganisation(actor) }));
