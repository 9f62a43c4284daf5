import { requestMatchRun } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-create';

export const handler = httpHandler(route.createMatchRun, async (request) => {
  const run = await requestMatchRun(request.actor, request.body, new Date());
  return { status: 202, body: run, headers: { location: `/v1/match-runs/${run.runId}` } };
});
