import { openingView, postOpening } from '../shared/domain/openings';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.createOpening, async (request) => {
  const opening = await postOpening(request.actor, request.body, new Date());
  return { status: 201, body: openingView(opening), headers: { location: `/v1/openings/${opening.openingId}` } };
});
