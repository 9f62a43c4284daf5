import * as common from '../../schemas/common';
import * as courses from '../../schemas/courses';
import { route } from '../route';
import { notFound, problemResponses, unprocessable } from './responses';

export const decideAccreditation = route({
  method: 'POST',
  path: '/v1/accreditation-requests/{requestId}/decision',
  handler: 'accreditation-decide',
  data: 'read-write',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'Approve (grant a validity period) or reject an accreditation request, with a reason; an approval re-derives every learner',
  tag: 'courses',
  params: courses.accreditationRequestParams,
  body: { json: courses.accreditationDecisionBody },
  startsWorkflow: 'rebuild',
  responses: {
    200: { description: 'Decided (or the same decision again)', schema: courses.accreditationRequestView },
    ...problemResponses,
    404: notFound,
    409: { description: 'Decided otherwise already, or the course changed since the request', schema: common.problem },
    422: unprocessable,
  },
});
