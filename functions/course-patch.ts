import { editCourse, readCourse } from '../shared/domain/courses';
import { startRebuild } from '../shared/domain/rebuild';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/course-patch';
import { launchRebuild } from '../shared/workflows/rebuild';

export const handler = httpHandler(route.patchCourse, async ({ actor, params, body }) => {
  const now = new Date();
  const { mappingChanged } = await editCourse(actor, params.courseId, body, now);
  if (!mappingChanged) return { body: await readCourse(params.courseId, now) };
  // What a completion of it attains changed: every learner's skill profile is derived again.
  const { rebuild } = await startRebuild(`course ${params.courseId} mapping edited`, now);
  await launchRebuild(rebuild);
  return { body: await readCourse(params.courseId, now), headers: { link: `</v1/rebuilds/${rebuild.rebuildId}>; rel="related"; title="rebuild"` } };
});
