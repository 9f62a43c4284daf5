import * as personalData from '../../schemas/personal-data';
import { route } from '../route';
import { problemResponses } from './responses';

export const exportMyData = route({
  method: 'GET',
  path: '/v1/learners/me/export',
  handler: 'learner-export',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary: 'Everything held about the caller (APPI disclosure), including who read their data',
  tag: 'learners',
  responses: {
    200: {
      description: 'The export',
      schema: personalData.personalDataExport,
      headers: { 'Content-Disposition': { description: '`attachment; filename="kanryu-my-data.json"`: a browser saves it as a file', required: true } },
    },
    401: problemResponses[401],
    403: problemResponses[403],
  },
});
