import * as common from '../../schemas/common';
import * as matching from '../../schemas/matching';
import { route } from '../route';
import { problemResponses, notFound } from './responses';

export const publishMatchRun = route({
  method: 'POST',
  path: '/v1/match-runs/{runId}/publish',
  handler: 'match-run-publish',
  data: 'read-write',
  access: { kind: 'roles', roles: ['center', 'admin'] },
  summary: "Publish a round's proposals to candidates and organisations",
  tag: 'matching',
  params: matching.runParams,
  lambda: { timeoutSeconds: 29 },
  responses: {
    200: { description: 'Published', schema: matching.publishedMatchRun },
    ...problemResponses,
    404: notFound,
    409: { description: 'Already published or superseded', schema: common.problem },
  },
});
