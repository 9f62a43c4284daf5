import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const listOpenings = route({
  method: 'GET',
  path: '/v1/openings',
  handler: 'opening-list',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary:
    'Openings by prefecture, role, DSS-P skill (item), work style, remote and status (anyone sees open ones; owners, centers and admin see more). Without a prefecture: the open openings of the whole country, in prefecture code order (an employer or municipality gets its own openings, a center its prefecture)',
  tag: 'openings',
  query: openings.listOpeningsQuery,
  responses: {
    200: { description: 'A page of openings', schema: openings.openingList },
    400: problemResponses[400],
    401: problemResponses[401],
    403: problemResponses[403],
    422: unprocessable,
  },
});
