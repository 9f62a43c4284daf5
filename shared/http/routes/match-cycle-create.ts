import * as common from '../../schemas/common';
import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const createMatchCycle = route({
  method: 'POST',
  path: '/v1/match-cycles',
  handler: 'match-cycle-create',
  data: 'read-write',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary:
    "Open a matching cycle: its openings (default: every open one of the center's prefecture, or of the country for admin), the window in which both sides submit rank lists, and for a national cycle optional regional caps",
  tag: 'matching',
  idempotent: true,
  body: { json: cycles.createCycleBody },
  responses: {
    201: { description: 'The cycle (Location: its address)', schema: cycles.cycleView },
    ...problemResponses,
    422: unprocessable,
    503: { description: 'A dependency is busy; retry the same request', schema: common.problem },
  },
});
