import { learnerSkillsView } from '../shared/domain/skills-view';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/learner-skills';

export const handler = httpHandler(route.getSkills, async ({ actor, params }) => ({
  body: await learnerSkillsView(actor, params.learnerId, new Date()),
}));
