import { completionView, reportCompletion } from '../shared/domain/completions';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/completion-report';

export const handler = httpHandler(route.reportCompletion, async (request) => {
  const now = new Date();
  const { outcome, completion } = await reportCompletion(request.actor, request.body, now);
  return { status: outcome === 'created' ? 201 : 200, body: completionView(completion) };
});
