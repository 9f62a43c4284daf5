import { placementsReport } from '../shared/domain/progress';
import { httpHandler, type Reply } from '../shared/http/handler';
import { publicCacheHeaders } from '../shared/http/public-cache';
import * as route from '../shared/http/routes/placements-report';
import { placementsCsv } from '../shared/progress/placements-csv';

export const handler = httpHandler(route.getPlacementsReport, async ({ actor, query, mediaType }): Promise<Reply> => {
  const { format, ...filters } = query;
  const report = await placementsReport(actor, filters, new Date());
  const caching = publicCacheHeaders(route.getPlacementsReport, actor);
  if (format === 'csv' || (format === undefined && mediaType === 'text/csv')) {
    return {
      text: { contentType: 'text/csv; charset=utf-8', content: placementsCsv(report) },
      headers: { ...caching, 'content-disposition': 'attachment; filename="kanryu-placements.csv"' },
    };
  }
  return { body: report, headers: caching };
});
