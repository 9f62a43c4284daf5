import { completionView, reportCompletion } from '../shared/domain/completions';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/completion-report';

export const handler = httpHandler(route.reportCompletion, async (request) => {
  const now = new Date();
  const { outcome, completion } = await reportCompletion(request.actor, request.body, now);
  // A completion is read in its learner's list (there is no URI of one record): the Location
  // of a new one, and of the existing one when the same completion is reported again.
  const location = `/v1/learners/${encodeURIComponent(completion.learnerId)}/completions`;
  return { status: outcome === 'created' ? 201 : 200, body: completionView(completion), headers: { location } };
});
