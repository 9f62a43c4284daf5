import { progressReport } from '../shared/domain/progress';
import { httpHandler, type Reply } from '../shared/http/handler';
import { publicCacheHeaders } from '../shared/http/public-cache';
import * as route from '../shared/http/routes/progress';
import { progressCsv } from '../shared/progress/report';

export const handler = httpHandler(route.getProgress, async ({ actor, query, mediaType }): Promise<Reply> => {
  const { format, lang, ...filters } = query;
  const report = await progressReport(actor, filters, new Date());
  const caching = publicCacheHeaders(route.getProgress, actor);
  if (format === 'csv' || (format === undefined && mediaType === 'text/csv')) {
    return {
      text: { contentType: 'text/csv; charset=utf-8', content: progressCsv(report, lang) },
      headers: { ...caching, 'content-disposition': 'attachment; filename="kanryu-progress.csv"' },
    };
  }
  return { body: report, headers: caching };
});
