import * as links from '../../schemas/provider-links';
import { route } from '../route';
import { problemResponses } from './responses';

export const unlinkProvider = route({
  method: 'DELETE',
  path: '/v1/learners/me/providers/{providerId}',
  handler: 'provider-unlink',
  data: 'read-write',
  access: { kind: 'roles', roles: ['learner'] },
  summary: "Revoke a provider's permission to report the caller's completions (completions already stored stay); idempotent",
  tag: 'learners',
  params: links.providerLinkParams,
  responses: { 200: { description: 'Not linked (now or already)', schema: links.providerLinkAnswer }, ...problemResponses },
});
