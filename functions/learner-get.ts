import { authorizeLearnerRead } from '../shared/domain/learner-access';
import { profileView } from '../shared/domain/learners';
import { notFound } from '../shared/errors';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/learner-get';

export const handler = httpHandler(route.getLearner, async ({ actor, params }) => {
  const profile = await authorizeLearnerRead(actor, params.learnerId, 'profile', new Date());
  if (!profile) throw notFound(`No learner ${params.learnerId}.`);
  return { body: profileView(profile) };
});
