import { saveTrustedIssuer } from '../shared/domain/trusted-issuers';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/trusted-issuer-save';

export const handler = httpHandler(route.saveTrustedIssuer, async ({ actor, body }) => {
  const { created, entry } = await saveTrustedIssuer(actor, body, new Date());
  return { status: created ? 201 : 200, body: entry };
});
