import * as rules from '../../schemas/rules';
import { route } from '../route';

export const listCountingRules = route({
  method: 'GET',
  path: '/v1/counting-rules',
  handler: 'counting-rules',
  data: 'none',
  access: { kind: 'public' },
  summary: 'The versioned rules for who counts as digital promotion talent',
  tag: 'progress',
  responses: { 200: { description: 'Rule versions', schema: rules.ruleList } },
});
