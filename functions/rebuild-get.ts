import { rebuildView } from '../shared/domain/rebuild';
import { notFound } from '../shared/errors';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/rebuild-get';

export const handler = httpHandler(route.getRebuild, async ({ params }) => {
  const view = await rebuildView(params.rebuildId);
  if (!view) throw notFound(`No rebuild ${params.rebuildId}.`);
  return { body: view };
});
