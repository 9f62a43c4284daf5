import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const putMyOrganisation = route({
  method: 'PUT',
  path: '/v1/organisations/me',
  handler: 'organisation-put-me',
  data: 'read-write',
  access: { kind: 'roles', roles: ['employer', 'municipality'] },
  summary: "Register the caller's organisation: an employer by corporate number (法人番号), a municipality by local government code",
  tag: 'openings',
  body: { json: openings.registerOrganisationBody },
  responses: {
    200: { description: 'Updated', schema: openings.organisationView },
    201: { description: 'Registered', schema: openings.organisationView },
    ...problemResponses,
    422: unprocessable,
  },
});
