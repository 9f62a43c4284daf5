import { trustedIssuers } from '../shared/domain/trusted-issuers';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/trusted-issuer-list';

export const handler = httpHandler(route.listTrustedIssuers, async () => ({ body: await trustedIssuers() }));
