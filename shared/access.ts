import type { LearnerProfile } from './data/learners';
import { centerMaySee } from './domain/visibility';
import type { Actor, organisationIdOf } from './identity';
import type { OrganisationKind } from './schemas/openings';

/**
 * Who may act on what: every object-level access rule, written once as a named predicate.
 * The route table (shared/http/routes/, one module per route) says which roles may call a route at all; the
 * domain asks these for the object at hand (is this prefecture yours, is this organisation
 * yours, does this learner's consent reach you). An anonymous caller (`undefined`) passes
 * none of them. test/security/authorization-matrix.test.ts proves them through the API.
 */

/** The roles whose accounts act for an organisation named by their token's `org` claim. */
export type OrganisationRole = keyof typeof organisationIdOf;

/** The caller is an administrator. */
export const isAdmin = (actor: Actor | undefined): boolean => actor?.role === 'admin';

/** The caller is the center of `prefecture` (a center's token names exactly one). */
export const isCenterOf = (actor: Actor | undefined, prefecture: string | undefined): boolean =>
  actor?.role === 'center' && !!prefecture && actor.prefecture === prefecture;

/**
 * Admin, or the center of `prefecture`: who oversees what happens in a prefecture (its
 * openings in any status, its matching rounds and proposals, its candidate lists, its fine
 * progress counts).
 */
export const overseesPrefecture = (actor: Actor | undefined, prefecture: string | undefined): boolean => isAdmin(actor) || isCenterOf(actor, prefecture);

/** The caller is this learner. */
export const isLearnerSelf = (actor: Actor | undefined, learnerId: string): boolean => actor?.role === 'learner' && actor.sub === learnerId;

/**
 * Admin, or a center the learner's consent reaches (the consent scope rule,
 * shared/domain/visibility.ts): who may read another person's learner data.
 */
export const overseesLearner = (actor: Actor | undefined, profile: LearnerProfile | undefined): boolean =>
  isAdmin(actor) || (actor?.role === 'center' && centerMaySee(profile, actor.prefecture));

/** The kind of organisation an account of this role posts openings for (employer ↔ employer, municipality ↔ municipality). */
export const organisationKindOf = (actor: Actor | undefined): OrganisationKind | undefined =>
  actor?.role === 'employer' || actor?.role === 'municipality' ? actor.role : undefined;

/**
 * The caller acts for this organisation, as this kind: its token names the organisation and
 * its role is the kind. The same id held as another kind (a municipality code that is also
 * some provider id) never counts.
 */
export const actsFor = (actor: Actor | undefined, owner: { org: string; kind: OrganisationRole }): boolean =>
  !!actor?.org && actor.org === owner.org && actor.role === owner.kind;
