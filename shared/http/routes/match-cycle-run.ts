import * as common from '../../schemas/common';
import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { notFound, problemResponses } from './responses';

export const runMatchCycle = route({
  method: 'POST',
  path: '/v1/match-cycles/{cycleId}/run',
  handler: 'match-cycle-run',
  data: 'read-write',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary:
    "Run the cycle once its window has closed: one deferred acceptance over all its openings with both sides' lists (fit order for a side that submitted none), computed by a job; each matched pair becomes a proposal to its candidate. Follow Location until the status is matched",
  tag: 'matching',
  params: cycles.cycleParams,
  responses: {
    202: { description: 'The cycle, running (status running); GET its Location for the result', schema: cycles.cycleView },
    ...problemResponses,
    404: notFound,
    409: { description: 'The window is still open, or the cycle has run or is running', schema: common.problem },
    503: { description: 'A dependency is busy; retry the same request', schema: common.problem },
  },
});
