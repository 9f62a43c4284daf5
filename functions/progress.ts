import { progressReport } from '../shared/domain/progress';
import { accepts, httpHandler, type Reply } from '../shared/http/handler';
import * as route from '../shared/http/routes/progress';
import { progressCsv } from '../shared/progress/report';

export const handler = httpHandler(route.getProgress, async ({ actor, query, headers }): Promise<Reply> => {
  const report = await progressReport(actor, query, new Date());
  const cacheControl = actor ? 'private, no-store' : 'public, max-age=30';
  if (accepts(headers, 'text/csv')) {
    return {
      text: { contentType: 'text/csv; charset=utf-8', content: progressCsv(report) },
      headers: { 'cache-control': cacheControl, 'content-disposition': 'attachment; filename="kanryu-progress.csv"' },
    };
  }
  return { body: report, headers: { 'cache-control': cacheControl } };
});
