import { registerActivity } from '../shared/domain/xapi-statements';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/xapi-activity-register';

export const handler = httpHandler(route.registerXapiActivity, async ({ actor, params, body }) => {
  const { created, registration } = await registerActivity(actor, params.courseId, body.activityId, new Date());
  return { status: created ? 201 : 200, body: registration };
});
