import { publishMatchRun } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.publishMatchRun, async ({ actor, params }) => ({ body: await publishMatchRun(actor, params.runId, new Date()) }));
