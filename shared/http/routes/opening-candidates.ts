import * as matching from '../../schemas/matching';
import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const rankCandidates = route({
  method: 'GET',
  path: '/v1/openings/{openingId}/candidates',
  handler: 'opening-candidates',
  data: 'read-write',
  access: { kind: 'roles', roles: ['center', 'employer', 'municipality', 'admin'] },
  summary: 'Consenting candidates who fit the opening, ranked by an explained score (anonymised for the owning organisation)',
  tag: 'matching',
  params: openings.openingParams,
  query: matching.candidatesQuery,
  responses: { 200: { description: 'Ranked candidates with met and missing items', schema: matching.candidatePage }, ...problemResponses, 404: notFound },
});
