import { completionView, listLearnerCompletions } from '../shared/domain/completions';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.listCompletions, async ({ actor, params, query }) => {
  const page = await listLearnerCompletions(actor, params.learnerId, query.cursor, query.limit ?? 50, new Date());
  return { body: { completions: page.completions.map(completionView), ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
