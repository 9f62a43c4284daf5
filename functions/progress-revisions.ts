import { progressRevisions } from '../shared/domain/progress';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/progress-revisions';

export const handler = pagedHttpHandler(route.listProgressRevisions, async ({ query }) => ({
  body: await progressRevisions({ ...(query.rule ? { rule: query.rule } : {}), cursor: query.cursor, limit: query.limit ?? 50 }),
}));
