import * as common from '../../schemas/common';
import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { notFound, problemResponses, unprocessable } from './responses';

export const putMyRankList = route({
  method: 'PUT',
  path: '/v1/match-cycles/{cycleId}/rank-lists/me',
  handler: 'match-cycle-rank-list-mine',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary:
    "The candidate's rank list of the cycle's openings, most wanted first; replaces the previous one while the ranking window is open (an empty list withdraws it and leaves the cycle)",
  tag: 'matching',
  params: cycles.cycleParams,
  body: { json: cycles.candidateListBody },
  responses: {
    200: { description: 'The list as stored', schema: cycles.candidateListView },
    ...problemResponses,
    404: notFound,
    409: { description: 'The ranking window is not open, or you take part in another cycle that has not run yet', schema: common.problem },
    422: unprocessable,
  },
});
