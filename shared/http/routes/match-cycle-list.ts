import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const listMatchCycles = route({
  method: 'GET',
  path: '/v1/match-cycles',
  handler: 'match-cycle-list',
  data: 'read',
  access: { kind: 'roles', roles: ['learner', 'employer', 'municipality', 'center', 'admin'] },
  summary:
    "The matching cycles the caller can take part in or runs, newest first: a learner's open for ranking in their prefectures and national ones; an organisation's with its openings, of its prefecture and national; a center's prefecture's and national; admin every one (filters: prefecture, state)",
  tag: 'matching',
  query: cycles.cycleListQuery,
  responses: {
    200: { description: 'A page of cycles', schema: cycles.cycleList },
    ...problemResponses,
    422: unprocessable,
  },
});
