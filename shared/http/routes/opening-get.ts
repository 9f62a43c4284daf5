import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const getOpening = route({
  method: 'GET',
  path: '/v1/openings/{openingId}',
  handler: 'opening-get',
  data: 'read',
  access: { kind: 'public-or-token' },
  summary: 'One opening (Accept: application/ld+json gives a schema.org JobPosting for an open opening)',
  tag: 'openings',
  params: openings.openingParams,
  responses: {
    200: {
      description: 'The opening',
      schema: openings.openingView,
      alternatives: { 'application/ld+json': { description: 'schema.org JobPosting', schema: openings.jobPostingDocument } },
    },
    400: problemResponses[400],
    401: problemResponses[401],
    404: notFound,
  },
});
