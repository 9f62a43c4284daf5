import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { notFound, problemResponses } from './responses';

export const getMatchCycle = route({
  method: 'GET',
  path: '/v1/match-cycles/{cycleId}',
  handler: 'match-cycle-get',
  data: 'read',
  access: { kind: 'roles', roles: ['learner', 'employer', 'municipality', 'center', 'admin'] },
  summary:
    "A matching cycle: window, status and result; a candidate's own list and, once run, why each opening on it did or did not take them; an organisation's (or center's) openings with whom they got and why seats stayed empty",
  tag: 'matching',
  params: cycles.cycleParams,
  responses: { 200: { description: 'The cycle as the caller may see it', schema: cycles.cycleView }, ...problemResponses, 404: notFound },
});
