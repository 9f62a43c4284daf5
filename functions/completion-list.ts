import { completionView, listLearnerCompletions } from '../shared/domain/completions';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/completion-list';

export const handler = pagedHttpHandler(route.listCompletions, async ({ actor, params, query }) => {
  const page = await listLearnerCompletions(actor, params.learnerId, query.cursor, query.limit ?? 50, new Date());
  return { body: { completions: page.completions.map(completionView), ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
