import * as links from '../../schemas/provider-links';
import { route } from '../route';
import { problemResponses } from './responses';

export const linkProvider = route({
  method: 'PUT',
  path: '/v1/learners/me/providers/{providerId}',
  handler: 'provider-link',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary: "Allow a training provider to report the caller's completions (only a linked provider's reports count); idempotent",
  tag: 'learners',
  params: links.providerLinkParams,
  responses: {
    200: { description: 'Linked already', schema: links.providerLinkAnswer },
    201: { description: 'Linked', schema: links.providerLinkAnswer },
    ...problemResponses,
  },
});
