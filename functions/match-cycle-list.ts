import { listCycles } from '../shared/domain/match-cycle-list';
import { pagedHttpHandler } from '../shared/http/paged-handler';
import * as route from '../shared/http/routes/match-cycle-list';

export const handler = pagedHttpHandler(route.listMatchCycles, async ({ actor, query }) => ({ body: await listCycles(actor, query, new Date()) }));
