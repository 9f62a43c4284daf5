import { saveTrustedIssuer } from '../shared/domain/trusted-issuers';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/trusted-issuer-save';

export const handler = httpHandler(route.saveTrustedIssuer, async ({ actor, body }) => {
  const { created, entry } = await saveTrustedIssuer(actor, body, new Date());
  // The registry is read as a whole: the Location of a new entry and of one saved before.
  return { status: created ? 201 : 200, body: entry, headers: { location: '/v1/trusted-issuers' } };
});
