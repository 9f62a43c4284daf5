import { isLearnerSelf, overseesLearner } from '../access';
import { auditSubject, recordAudit } from '../data/audit';
import { getLearnerProfile, type LearnerProfile } from '../data/learners';
import { forbidden, notFound } from '../errors';
import type { Actor } from '../identity';

/**
 * Object-level access to a learner's data (the rules: shared/access.ts). A learner sees only
 * themselves; a center sees the learners the consent scope rule (shared/domain/visibility.ts)
 * shows to its prefecture; admin sees everyone. Anyone else is refused before anything is
 * read. For a center, learners outside its reach answer 404, so a center cannot probe who exists.
 */

export async function authorizeLearnerRead(actor: Actor, learnerId: string, what: string, now: Date): Promise<LearnerProfile | undefined> {
  switch (actor.role) {
    case 'learner':
      if (!isLearnerSelf(actor, learnerId)) throw forbidden('Learners may read only their own data.');
      return getLearnerProfile(learnerId);
    case 'admin': {
      const profile = await getLearnerProfile(learnerId);
      if (!profile) throw notFound(`No learner ${learnerId}.`);
      await recordAudit(actor, `read-${what}`, auditSubject.learner(learnerId), now);
      return profile;
    }
    case 'center': {
      const profile = await getLearnerProfile(learnerId);
      if (!profile || !overseesLearner(actor, profile)) throw notFound(`No consenting learner ${learnerId} in prefecture ${actor.prefecture}.`);
      await recordAudit(actor, `read-${what}`, auditSubject.learner(learnerId), now);
      return profile;
    }
    default:
      throw forbidden(`The ${actor.role} role may not read learner ${what}.`);
  }
}
