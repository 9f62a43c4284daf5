import { installCatalog } from '../shared/domain/catalog';
import { startRebuild } from '../shared/domain/rebuild';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/catalog-install';
import { launchRebuild } from '../shared/workflows/rebuild';

export const handler = httpHandler(route.installCatalog, async ({ body }) => {
  const now = new Date();
  const { created, summary } = await installCatalog(body.catalog, body.makeCurrent ?? false, now);
  // Every learner's pool entries gain a standing under the new version (or the new current one).
  const { rebuild } = await startRebuild(`catalog ${summary.version} installed${body.makeCurrent ? ' and made current' : ''}`, now);
  await launchRebuild(rebuild);
  return {
    status: created ? 201 : 200,
    body: summary,
    headers: { location: `/v1/catalog/${summary.version}`, link: `</v1/rebuilds/${rebuild.rebuildId}>; rel="related"; title="rebuild"` },
  };
});
