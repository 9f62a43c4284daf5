import { learnerSkillsView } from '../shared/domain/skills-view';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';

export const handler = httpHandler(routes.getSkills, async ({ actor, params }) => ({
  body: await learnerSkillsView(actor, params.learnerId, new Date()),
}));
