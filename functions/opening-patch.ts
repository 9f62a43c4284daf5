import { editOpening, openingView } from '../shared/domain/openings';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.patchOpening, async ({ actor, params, body }) => ({
  body: openingView(await editOpening(actor, params.openingId, body, new Date())),
}));
