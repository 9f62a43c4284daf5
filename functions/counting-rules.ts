import { rulesOverview } from '../shared/domain/counting-rules';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/counting-rules';

export const handler = httpHandler(route.listCountingRules, async () => ({
  body: await rulesOverview(),
  headers: { 'cache-control': 'public, max-age=60' },
}));
