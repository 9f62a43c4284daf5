import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const listMyOpenings = route({
  method: 'GET',
  path: '/v1/organisations/me/openings',
  handler: 'organisation-openings',
  data: 'read',
  access: { kind: 'roles', roles: ['employer', 'municipality'] },
  summary: "The caller's organisation's own openings in any status, drafts included, oldest first (filters: status, role, item, workStyle, remote)",
  tag: 'openings',
  query: openings.ownOpeningsQuery,
  responses: {
    200: { description: 'A page of the organisation’s openings', schema: openings.openingList },
    400: problemResponses[400],
    401: problemResponses[401],
    403: problemResponses[403],
    422: unprocessable,
  },
});
