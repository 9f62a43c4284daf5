import { installCountingRule } from '../shared/domain/counting-rules';
import { startRebuild } from '../shared/domain/rebuild';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/counting-rule-install';
import { launchRebuild } from '../shared/workflows/rebuild';

export const handler = httpHandler(route.installCountingRule, async ({ actor, body }) => {
  const now = new Date();
  const installed = await installCountingRule(actor, body.rule, body.makeCurrent ?? false, now);
  // Activating a rule re-derives every learner under it (installing one alone changes nothing derived).
  const { rebuild } = await startRebuild(`counting rule ${body.rule.version} installed${body.makeCurrent ? ' and made current' : ''}`, now);
  await launchRebuild(rebuild);
  return {
    status: installed.created ? 201 : 200,
    body: { rule: installed.rule, current: installed.current },
    headers: { location: '/v1/counting-rules', link: `</v1/rebuilds/${rebuild.rebuildId}>; rel="related"; title="rebuild"` },
  };
});
