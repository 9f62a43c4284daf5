import { tablelessHttpHandler } from '../shared/http/edge';
import * as route from '../shared/http/routes/counting-rules';
import { countingRules, currentCountingRule } from '../shared/rules/bundled';

export const handler = tablelessHttpHandler(route.listCountingRules, async () => ({
  body: { current: currentCountingRule.version, rules: countingRules },
  headers: { 'cache-control': 'public, max-age=300' },
}));
