import { matchRunView } from '../shared/domain/match-runs';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getMatchRun, async ({ actor, params }) => ({ body: await matchRunView(actor, params.runId) }));
