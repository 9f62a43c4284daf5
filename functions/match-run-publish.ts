import { publishMatchRun } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-publish';

export const handler = httpHandler(route.publishMatchRun, async ({ actor, params }) => ({ body: await publishMatchRun(actor, params.runId, new Date()) }));
