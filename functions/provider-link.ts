import { linkProvider } from '../shared/domain/provider-links';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/provider-link';

export const handler = httpHandler(route.linkProvider, async ({ actor, params }) => {
  const { created, view } = await linkProvider(actor, params.providerId, new Date());
  // The link is the resource PUT addresses (its DELETE ends it): Location names it, new or kept.
  return { status: created ? 201 : 200, body: view, headers: { location: `/v1/learners/me/providers/${encodeURIComponent(params.providerId)}` } };
});
