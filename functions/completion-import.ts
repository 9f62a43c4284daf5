import { importCompletions } from '../shared/domain/completion-import';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/completion-import';

// Skills and qualifications of the learners in the file are derived by the pending-records
// job (seconds later), not here: a 10,000-row file must fit one request.
export const handler = httpHandler(route.importCompletions, async ({ actor, body }) => ({
  body: await importCompletions(actor, body, new Date()),
}));
