/**
 * Every key of the single table is built here; handlers and domain code never paste
 * key strings. Sort keys that order by date start with the ISO date.
 */
export const keys = {
  catalogVersion: (version: string) => ({ pk: 'CATALOG', sk: `VERSION#${version}` }),
  catalogVersionsPartition: () => ({ pk: 'CATALOG', skPrefix: 'VERSION#' }),
  catalogDocument: (version: string) => ({ pk: `CATALOG#${version}`, sk: 'DOCUMENT' }),
  catalogCurrent: () => ({ pk: 'CATALOG', sk: 'CURRENT' }),

  learnerProfile: (learnerId: string) => ({ pk: `LEARNER#${learnerId}`, sk: 'PROFILE' }),
  /** Personal data lives in its own partition: no learner query ever returns it by accident. */
  learnerContact: (learnerId: string) => ({ pk: `PERSONAL#${learnerId}`, sk: 'CONTACT' }),
  learnerSkills: (learnerId: string) => ({ pk: `LEARNER#${learnerId}`, sk: 'SKILLS' }),
  learnerDerivation: (learnerId: string) => ({ pk: `LEARNER#${learnerId}`, sk: 'DERIVATION' }),

  completion: (learnerId: string, completedOn: string, courseId: string) => ({
    pk: `LEARNER#${learnerId}`,
    sk: `COMPLETION#${completedOn}#${courseId}`,
  }),
  completionsOfLearner: (learnerId: string) => ({ pk: `LEARNER#${learnerId}`, skPrefix: 'COMPLETION#' }),
  /** gsi1: completions of a course, by date. */
  completionByCourse: (courseId: string, completedOn: string, learnerId: string) => ({
    gsi1pk: `COURSE#${courseId}`,
    gsi1sk: `COMPLETION#${completedOn}#${learnerId}`,
  }),

  qualification: (learnerId: string, ruleVersion: string) => ({ pk: `LEARNER#${learnerId}`, sk: `QUALIFICATION#${ruleVersion}` }),
  qualificationsOfLearner: (learnerId: string) => ({ pk: `LEARNER#${learnerId}`, skPrefix: 'QUALIFICATION#' }),
  /** gsi1: every qualification under a rule version (the recount reads these). */
  qualificationByRule: (ruleVersion: string, qualifiedOn: string, learnerId: string) => ({
    gsi1pk: `QUALIFICATIONS#${ruleVersion}`,
    gsi1sk: `${qualifiedOn}#${learnerId}`,
  }),

  course: (courseId: string) => ({ pk: `COURSE#${courseId}`, sk: 'COURSE' }),
  /** gsi1: a provider's courses, newest last. */
  courseByProvider: (providerId: string, createdAt: string, courseId: string) => ({
    gsi1pk: `PROVIDER#${providerId}`,
    gsi1sk: `COURSE#${createdAt}#${courseId}`,
  }),
  coursesOfProvider: (providerId: string) => ({ gsi1pk: `PROVIDER#${providerId}`, skPrefix: 'COURSE#' }),
  /** Index items: courses covering a catalog item, or relevant to a role, in one version. */
  courseForItem: (version: string, itemId: string, courseId: string) => ({ pk: `COURSES#${version}#ITEM#${itemId}`, sk: `COURSE#${courseId}` }),
  courseForRole: (version: string, roleId: string, courseId: string) => ({ pk: `COURSES#${version}#ROLE#${roleId}`, sk: `COURSE#${courseId}` }),
  coursesForItem: (version: string, itemId: string) => ({ pk: `COURSES#${version}#ITEM#${itemId}` }),
  coursesForRole: (version: string, roleId: string) => ({ pk: `COURSES#${version}#ROLE#${roleId}` }),

  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'REQUEST' }),
};

/** The sparse "pending" index: records whose effects are not yet fully applied. */
export const PENDING = 'PENDING';
export const pendingMark = (since: string, id: string) => ({ pendingShard: PENDING, pendingSince: `${since}#${id}` });
