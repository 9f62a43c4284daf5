import { editOpening, openingView } from '../shared/domain/openings';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/opening-patch';

export const handler = httpHandler(route.patchOpening, async ({ actor, params, body }) => ({
  body: openingView(await editOpening(actor, params.openingId, body, new Date())),
}));
