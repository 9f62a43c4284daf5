import * as common from '../../schemas/common';
import * as cycles from '../../schemas/match-cycles';
import { route } from '../route';
import { notFound, problemResponses, unprocessable } from './responses';

export const putOpeningRankList = route({
  method: 'PUT',
  path: '/v1/match-cycles/{cycleId}/openings/{openingId}/rank-list',
  handler: 'match-cycle-rank-list-opening',
  data: 'read-write',
  access: { kind: 'roles', roles: ['employer', 'municipality'] },
  summary:
    "The organisation's rank list for one of its openings: handles of candidates who listed it, most wanted first; anyone left off is not acceptable. Replaces the previous one while the ranking window is open",
  tag: 'matching',
  params: cycles.cycleOpeningParams,
  body: { json: cycles.openingListBody },
  responses: {
    200: { description: 'The list as stored', schema: cycles.openingListView },
    ...problemResponses,
    404: notFound,
    409: { description: 'The ranking window is not open', schema: common.problem },
    422: unprocessable,
  },
});
