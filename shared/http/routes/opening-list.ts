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
    'The search of openings, the same for every caller: by prefecture, role, DSS-P skill (item), work style and remote; without a prefecture the open openings of the whole country, in prefecture code order. Other statuses than open: the center of the prefecture and admin (an organisation lists its own drafts at GET /v1/organisations/me/openings)',
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
