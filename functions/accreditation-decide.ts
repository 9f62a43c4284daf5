import { decideAccreditation } from '../shared/domain/accreditation';
import { startRebuild } from '../shared/domain/rebuild';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/accreditation-decide';
import { launchRebuild } from '../shared/workflows/rebuild';

export const handler = httpHandler(route.decideAccreditation, async ({ actor, params, body }) => {
  const now = new Date();
  const { request } = await decideAccreditation(actor, params.requestId, body, now);
  if (request.status !== 'approved') return { body: request };
  // Evidence already reported for the course may now count: every learner is derived again
  // (the same rebuild answers a repeated decision).
  const { rebuild } = await startRebuild(`accreditation ${request.requestId} granted`, now);
  await launchRebuild(rebuild);
  return { body: request, headers: { link: `</v1/rebuilds/${rebuild.rebuildId}>; rel="related"; title="rebuild"` } };
});
