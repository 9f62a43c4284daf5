import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, unprocessable } from './responses';

export const createOpening = route({
  method: 'POST',
  path: '/v1/openings',
  handler: 'opening-create',
  data: 'read-write',
  access: { kind: 'roles', roles: ['employer', 'municipality'] },
  summary: 'Post an opening (created as a draft)',
  tag: 'openings',
  idempotent: true,
  body: { json: openings.createOpeningBody },
  responses: { 201: { description: 'Created', schema: openings.openingView }, ...problemResponses, 422: unprocessable },
});
