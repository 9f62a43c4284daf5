import { createMatchRun, proposalView } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-create';

export const handler = httpHandler(route.createMatchRun, async (request) => {
  const { run, proposals } = await createMatchRun(request.actor, request.body, new Date());
  return { status: 201, body: { run, proposals: proposals.map(proposalView) }, headers: { location: `/v1/match-runs/${run.runId}` } };
});
