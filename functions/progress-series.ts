import { progressSeries } from '../shared/domain/progress-series';
import { httpHandler, type Reply } from '../shared/http/handler';
import { publicCacheHeaders } from '../shared/http/public-cache';
import * as route from '../shared/http/routes/progress-series';
import { monthlySeriesCsv } from '../shared/progress/series';

export const handler = httpHandler(route.getProgressSeries, async ({ actor, query, mediaType }): Promise<Reply> => {
  const { format, ...filters } = query;
  const series = await progressSeries(actor, filters, new Date());
  const caching = publicCacheHeaders(route.getProgressSeries, actor);
  if (format === 'csv' || (format === undefined && mediaType === 'text/csv')) {
    return {
      text: { contentType: 'text/csv; charset=utf-8', content: monthlySeriesCsv(series) },
      headers: { ...caching, 'content-disposition': 'attachment; filename="kanryu-progress-by-month.csv"' },
    };
  }
  return { body: series, headers: caching };
});
