import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { notFound, problemResponses } from './responses';

export const listMatchCycleOpenings = route({
  method: 'GET',
  path: '/v1/match-cycles/{cycleId}/openings',
  handler: 'match-cycle-openings',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner', 'employer', 'municipality', 'center', 'admin'] },
  summary:
    "The cycle's openings as the caller ranks them: a candidate the ones that fit them, with the fit explained; an organisation its own, with the candidates who listed them by handle; a center its prefecture's, with how many listed each",
  tag: 'matching',
  params: cycles.cycleParams,
  responses: { 200: { description: 'The openings', schema: cycles.cycleOpeningsView }, ...problemResponses, 404: notFound },
});
