import * as common from '../../schemas/common';
import * as rules from '../../schemas/rules';
import { route } from '../route';
import { problemResponses, rebuildLink } from './responses';

export const installCountingRule = route({
  method: 'POST',
  path: '/v1/counting-rules',
  handler: 'counting-rule-install',
  data: 'read-write',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'Install a counting rule version (immutable once installed) and optionally make it current, which re-derives every learner under it',
  tag: 'progress',
  body: { json: rules.installRuleBody },
  startsWorkflow: 'rebuild',
  responses: {
    201: { description: 'Installed', schema: rules.installedRule, headers: rebuildLink },
    200: { description: 'The same content was already installed', schema: rules.installedRule, headers: rebuildLink },
    ...problemResponses,
    409: { description: 'The version exists with different content', schema: common.problem },
    422: { description: 'The rule is inconsistent (an unknown scheme, a repeated clause)', schema: common.problem },
  },
});
