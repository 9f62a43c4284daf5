import * as courses from '../../schemas/courses';
import { route } from '../route';
import { problemResponses } from './responses';

export const listAccreditationRequests = route({
  method: 'GET',
  path: '/v1/accreditation-requests',
  handler: 'accreditation-list',
  data: 'read',
  access: { kind: 'roles', roles: ['admin'] },
  summary: 'Accreditation requests by status (pending by default), oldest first',
  tag: 'courses',
  query: courses.listAccreditationRequestsQuery,
  responses: { 200: { description: 'A page of requests', schema: courses.accreditationRequestList }, ...problemResponses },
});
