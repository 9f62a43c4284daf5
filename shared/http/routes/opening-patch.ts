import * as common from '../../schemas/common';
import * as openings from '../../schemas/openings';
import { route } from '../route';
import { problemResponses, notFound, unprocessable } from './responses';

export const patchOpening = route({
  method: 'PATCH',
  path: '/v1/openings/{openingId}',
  handler: 'opening-patch',
  data: 'read-write',
  access: { kind: 'roles', roles: ['employer', 'municipality'] },
  summary: 'Edit a draft, or move an opening draft -> open -> closed (owner only)',
  tag: 'openings',
  params: openings.openingParams,
  body: { json: openings.patchOpeningBody },
  responses: {
    200: { description: 'Updated', schema: openings.openingView },
    ...problemResponses,
    404: notFound,
    409: { description: 'Not allowed in the current status', schema: common.problem },
    422: unprocessable,
  },
});
