import { serializeJsonLd } from '../shared/domain/job-posting';
import { openingView, readJobPosting, readOpening } from '../shared/domain/openings';
import { httpHandler, type Reply } from '../shared/http/handler';
import * as route from '../shared/http/routes/opening-get';

export const handler = httpHandler(route.getOpening, async ({ actor, params, mediaType }): Promise<Reply> => {
  if (mediaType === 'application/ld+json') {
    const posting = await readJobPosting(actor, params.openingId);
    return {
      text: { contentType: 'application/ld+json', content: serializeJsonLd(posting) },
      headers: { 'cache-control': 'public, max-age=60', vary: 'accept' },
    };
  }
  const opening = await readOpening(actor, params.openingId);
  // Open openings look the same to everyone; the others only to a few callers.
  const cacheControl = opening.status === 'open' ? 'public, max-age=60' : 'private, no-store';
  return { body: openingView(opening), headers: { 'cache-control': cacheControl, vary: 'accept' } };
});
