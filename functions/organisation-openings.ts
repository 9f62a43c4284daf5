import { findOwnOpenings } from '../shared/domain/openings';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/organisation-openings';

export const handler = pagedHttpHandler(route.listMyOpenings, async ({ actor, query }) => ({ body: await findOwnOpenings(actor, query) }));
