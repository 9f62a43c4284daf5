import { openingView, postOpening } from '../shared/domain/openings';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/opening-create';

export const handler = httpHandler(route.createOpening, async (request) => {
  const opening = await postOpening(request.actor, request.body, new Date());
  return { status: 201, body: openingView(opening), headers: { location: `/v1/openings/${opening.openingId}` } };
});
