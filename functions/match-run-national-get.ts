import { notFound } from '../shared/errors';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-national-get';
import { getNationalRound } from '../shared/workflows/national-round';

export const handler = httpHandler(route.getNationalRound, async ({ params }) => {
  const round = await getNationalRound(params.nationalRunId);
  if (!round) throw notFound(`No national round ${params.nationalRunId} (a running one appears when it completes).`);
  return { body: round };
});
