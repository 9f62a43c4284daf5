import { openingView, postOpening } from '../shared/domain/openings';
import { httpHandler } from '../shared/http/handler';
import { oncePerIdempotencyKey } from '../shared/http/idempotency';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.createOpening, async (request) =>
  oncePerIdempotencyKey({ ...request, routeId: 'createOpening' }, async () => {
    const opening = await postOpening(request.actor, request.body, new Date());
    return { status: 201, body: openingView(opening), headers: { location: `/v1/openings/${opening.openingId}` } };
  }),
);
