import { requestAccreditation } from '../shared/domain/accreditation';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/accreditation-request';

export const handler = httpHandler(route.requestAccreditation, async ({ actor, params, body }) => {
  const request = await requestAccreditation(actor, params.courseId, body, new Date());
  return { status: 201, body: request, headers: { location: `/v1/accreditation-requests?status=pending` } };
});
