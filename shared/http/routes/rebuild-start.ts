import * as rebuilds from '../../schemas/rebuilds';
import { route } from '../route';
import { problemResponses } from './responses';

export const startRebuild = route({
  method: 'POST',
  path: '/v1/rebuilds',
  handler: 'rebuild-start',
  data: 'read-write',
  access: { kind: 'roles', roles: ['admin'] },
  summary:
    "Rebuild every learner's derived state for the installed catalogs and counting rules (started by itself on a catalog change; this resumes one that stopped, or answers with the current one)",
  tag: 'catalog',
  startsWorkflow: 'rebuild',
  responses: { 202: { description: 'The current rebuild (started, resumed or already done)', schema: rebuilds.rebuildView }, ...problemResponses },
});
