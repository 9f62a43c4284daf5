import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';
import { countingRules, currentCountingRule } from '../shared/rules/bundled';

export const handler = httpHandler(routes.listCountingRules, async () => ({
  body: { current: currentCountingRule.version, rules: countingRules },
  headers: { 'cache-control': 'public, max-age=300' },
}));
