import * as rules from '../../schemas/rules';
import { route } from '../route';

export const listCountingRules = route({
  method: 'GET',
  path: '/v1/counting-rules',
  handler: 'counting-rules',
  data: 'read',
  access: { kind: 'public' },
  summary: 'The versioned rules for who counts as digital promotion talent (installed, current) and the accreditation schemes',
  tag: 'progress',
  responses: { 200: { description: 'Rule versions', schema: rules.ruleList } },
});
