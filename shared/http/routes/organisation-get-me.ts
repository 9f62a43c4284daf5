import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getMyOrganisation = route({
  method: 'GET',
  path: '/v1/organisations/me',
  handler: 'organisation-get-me',
  data: 'read',
  access: { kind: 'roles', roles: ['employer', 'municipality'] },
  summary: "The caller's organisation",
  tag: 'openings',
  responses: {
    200: { description: 'The organisation', schema: openings.organisationView },
    401: problemResponses[401],
    403: problemResponses[403],
    404: notFound,
  },
});
