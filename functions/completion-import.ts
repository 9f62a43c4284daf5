import { charsetOf } from '../shared/csv';
import { uploadCompletions } from '../shared/domain/imports';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/completion-import';

// Skills and qualifications of the learners in the file are derived by the pending-records
// job (seconds later), not here. A file over the threshold is only checked and queued
// here (202): its rows are stored by the import workers, outside the 30 s of a request.
export const handler = httpHandler(route.importCompletions, async ({ actor, body, headers }) => {
  const outcome = await uploadCompletions(actor, body, new Date(), charsetOf(headers['content-type']));
  if (!outcome.queued) return { body: outcome.result };
  return { status: 202, body: outcome.job, headers: { location: `/v1/imports/${outcome.job.importId}` } };
});
