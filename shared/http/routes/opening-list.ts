import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses } from './responses';

export const listOpenings = route({
  method: 'GET',
  path: '/v1/openings',
  handler: 'opening-list',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary: 'Openings by prefecture, role and status (anyone sees open ones; owners, centers and admin see more)',
  tag: 'openings',
  query: openings.listOpeningsQuery,
  responses: {
    200: { description: 'A page of openings', schema: openings.openingList },
    400: problemResponses[400],
    401: problemResponses[401],
    403: problemResponses[403],
  },
});
