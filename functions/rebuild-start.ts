import { rebuildView, startRebuild } from '../shared/domain/rebuild';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/rebuild-start';
import { launchRebuild } from '../shared/workflows/rebuild';

export const handler = httpHandler(route.startRebuild, async () => {
  const now = new Date();
  const { rebuild, started } = await startRebuild('requested by the national office', now);
  // A rebuild already running may have lost its execution: a second one resumes from the recorded pages.
  await launchRebuild(rebuild, started ? undefined : `resume-${now.getTime()}`);
  return { status: 202, body: (await rebuildView(rebuild.rebuildId))!, headers: { location: `/v1/rebuilds/${rebuild.rebuildId}` } };
});
