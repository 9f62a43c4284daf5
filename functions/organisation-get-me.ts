import { readOwnOrganisation } from '../shared/domain/organisations';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/organisation-get-me';

export const handler = httpHandler(route.getMyOrganisation, async ({ actor }) => ({ body: await readOwnOrganisation(actor) }));
