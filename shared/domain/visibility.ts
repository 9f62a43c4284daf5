import type { LearnerProfile } from '../data/learners';
import type { WorkStyle } from '../schemas/fields';

/**
 * Consent scope: the one rule for where a learner's profile may be shown. Every place that
 * shows a learner (a center's reads, candidate pools and lists, matching rounds) asks these
 * predicates, on the profile as stored now, so the center's reads and the candidate lists
 * always agree.
 *
 * - `matching` consent: the centers, and the openings, of the prefectures the learner lives
 *   in or wants to work in.
 * - `placeFree` consent (only with `matching`): also remote and side-job openings anywhere,
 *   and so the centers of every prefecture.
 */
export const PLACE_FREE_STYLES = ['remote', 'side-job'] as const satisfies readonly WorkStyle[];

export const isPlaceFreeStyle = (style: string) => (PLACE_FREE_STYLES as readonly string[]).includes(style);

/**
 * A person holds one job at a time: a full-time, dispatch or remote placement (a remote
 * opening is a job done from elsewhere) excludes another until it ends; side jobs stack.
 */
export const EXCLUSIVE_STYLES = ['full-time', 'dispatch', 'remote'] as const satisfies readonly WorkStyle[];
export const isExclusiveStyle = (style: string) => (EXCLUSIVE_STYLES as readonly string[]).includes(style);

export const consentsToMatching = (profile: LearnerProfile | undefined): profile is LearnerProfile => profile?.consent.matching === true;

/** Place-free consent counts only together with matching consent; absent (older profiles) is off. */
export const consentsPlaceFree = (profile: LearnerProfile | undefined) => consentsToMatching(profile) && profile.consent.placeFree === true;

/** The learner lives in or wants to work in the prefecture (says nothing about consent). */
export const isInPlace = (profile: LearnerProfile, prefecture: string) =>
  profile.residence.prefecture === prefecture || profile.workPrefectures.includes(prefecture);

/** A center of `prefecture` may see the learner (profile, skills, completions, candidate lists). */
export function centerMaySee(profile: LearnerProfile | undefined, prefecture: string | undefined): boolean {
  if (!prefecture || !consentsToMatching(profile)) return false;
  return isInPlace(profile, prefecture) || consentsPlaceFree(profile);
}

/**
 * The learner may be a candidate for the opening: they consent, want its work style, and
 * fit by place (live in or want its prefecture) or, for a remote or side-job opening, gave
 * place-free consent. Implies `centerMaySee` for the opening's prefecture.
 */
export function isCandidateFor(
  profile: (LearnerProfile & { holdsPlacement?: boolean }) | undefined,
  opening: { workStyle: string; workplace: { prefecture: string } },
): boolean {
  if (!consentsToMatching(profile) || !(profile.workStyles as readonly string[]).includes(opening.workStyle)) return false;
  // A person placed in a job leaves the candidates of jobs until that placement ends.
  if (profile.holdsPlacement && isExclusiveStyle(opening.workStyle)) return false;
  return isInPlace(profile, opening.workplace.prefecture) || (isPlaceFreeStyle(opening.workStyle) && consentsPlaceFree(profile));
}
