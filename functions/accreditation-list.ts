import { accreditationRequests } from '../shared/domain/accreditation';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/accreditation-list';

export const handler = pagedHttpHandler(route.listAccreditationRequests, async ({ query }) => ({
  body: await accreditationRequests(query.status ?? 'pending', query.cursor, query.limit ?? 50),
}));
