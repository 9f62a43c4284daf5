import { registerActivity } from '../shared/domain/xapi-statements';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/xapi-activity-register';

export const handler = httpHandler(route.registerXapiActivity, async ({ actor, params, body }) => {
  const { created, registration } = await registerActivity(actor, params.courseId, body.activityId, new Date());
  // The registration is the resource PUT addresses: Location names it, new or kept.
  return { status: created ? 201 : 200, body: registration, headers: { location: `/v1/courses/${encodeURIComponent(params.courseId)}/xapi-activities` } };
});
