import { progressReport } from '../shared/domain/progress';
import { httpHandler, type Reply } from '../shared/http/handler';
import { XLSX_MEDIA_TYPE } from '../shared/http/media-types';
import { negotiateLanguage } from '../shared/http/middleware/negotiate';
import { publicCacheHeaders } from '../shared/http/public-cache';
import * as route from '../shared/http/routes/progress';
import { FILE_LANGUAGES, progressCsv, progressXlsx } from '../shared/progress/progress-file';

export const handler = httpHandler(route.getProgress, async ({ actor, query, headers, mediaType }): Promise<Reply> => {
  const { format, lang, ...filters } = query;
  const report = await progressReport(actor, filters, new Date());
  const caching = publicCacheHeaders(route.getProgress, actor);
  // The files' words: ?lang= (a plain link's choice) over Accept-Language, English by default.
  const language = lang ?? negotiateLanguage(headers['accept-language'], FILE_LANGUAGES) ?? 'en';
  if (format === 'csv' || (format === undefined && mediaType === 'text/csv')) {
    return {
      text: { contentType: 'text/csv; charset=utf-8', content: progressCsv(report, language) },
      headers: { ...caching, 'content-disposition': 'attachment; filename="kanryu-progress.csv"' },
    };
  }
  if (format === 'xlsx' || (format === undefined && mediaType === XLSX_MEDIA_TYPE)) {
    return {
      binary: { contentType: XLSX_MEDIA_TYPE, content: await progressXlsx(report, language) },
      headers: { ...caching, 'content-disposition': 'attachment; filename="kanryu-progress.xlsx"' },
    };
  }
  return { body: report, headers: caching };
});
