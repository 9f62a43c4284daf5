import { matchRunView } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-get';

export const handler = httpHandler(route.getMatchRun, async ({ actor, params }) => ({ body: await matchRunView(actor, params.runId) }));
