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

  /** One partition per caller identity (role, organisation, subject): nobody else replays its answers. */
  idempotency: (owner: string, name: string) => ({ pk: `IDEMPOTENCY#${owner}`, sk: name }),
  idempotencyOf: (owner: string) => ({ pk: `IDEMPOTENCY#${owner}` }),
  /** Points from a learner to every stored answer holding their data, whoever stored it: erasure follows these. */
  idempotentAnswerAbout: (learnerId: string, owner: string, name: string) => ({ pk: `IDEMPOTENT-ABOUT#${learnerId}`, sk: `${owner}#${name}` }),
  idempotentAnswersAbout: (learnerId: string) => ({ pk: `IDEMPOTENT-ABOUT#${learnerId}` }),

  organisation: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'PROFILE' }),
  opening: (openingId: string) => ({ pk: `OPENING#${openingId}`, sk: 'OPENING' }),
  /** gsi1: openings of a prefecture in one status, oldest first. */
  openingByPrefectureStatus: (prefecture: string, status: string, createdAt: string, openingId: string) => ({
    gsi1pk: `OPENINGS#${prefecture}#${status}`,
    gsi1sk: `${createdAt}#${openingId}`,
  }),
  openingsInPrefecture: (prefecture: string, status: string) => ({ gsi1pk: `OPENINGS#${prefecture}#${status}` }),
  /** gsi2: an organisation's openings, oldest first. */
  openingByOrganisation: (orgId: string, createdAt: string, openingId: string) => ({ gsi2pk: `ORG#${orgId}#OPENINGS`, gsi2sk: `${createdAt}#${openingId}` }),
  openingsOfOrganisation: (orgId: string) => ({ gsi2pk: `ORG#${orgId}#OPENINGS` }),

  /** Candidate pools: where a consenting learner may be proposed (see shared/domain/candidate-pool.ts). */
  poolEntry: (pool: string, learnerId: string) => ({ pk: `POOL#${pool}`, sk: `LEARNER#${learnerId}` }),
  pool: (pool: string) => ({ pk: `POOL#${pool}` }),
  /** Which pools a learner was last published to, so a sync knows what to withdraw. */
  learnerPools: (learnerId: string) => ({ pk: `LEARNER#${learnerId}`, sk: 'POOLS' }),

  matchRun: (runId: string) => ({ pk: `MATCHRUN#${runId}`, sk: 'RUN' }),
  /** gsi1: a prefecture's runs, newest last. */
  matchRunByPrefecture: (prefecture: string, createdAt: string, runId: string) => ({ gsi1pk: `MATCHRUNS#${prefecture}`, gsi1sk: `${createdAt}#${runId}` }),
  proposal: (proposalId: string) => ({ pk: `PROPOSAL#${proposalId}`, sk: 'PROPOSAL' }),
  /** gsi1: a run's proposals; gsi2 (set when published): a learner's or an opening's proposals. */
  proposalByRun: (runId: string, proposalId: string) => ({ gsi1pk: `MATCHRUN#${runId}#PROPOSALS`, gsi1sk: proposalId }),
  proposalsOfRun: (runId: string) => ({ gsi1pk: `MATCHRUN#${runId}#PROPOSALS` }),
  /** Written when a run is published: a learner's and an organisation's proposals. */
  proposalForLearner: (learnerId: string, proposalId: string) => ({ pk: `PROPOSALS#LEARNER#${learnerId}`, sk: proposalId }),
  proposalsForLearner: (learnerId: string) => ({ pk: `PROPOSALS#LEARNER#${learnerId}` }),
  proposalForOrganisation: (orgId: string, proposalId: string) => ({ pk: `PROPOSALS#ORG#${orgId}`, sk: proposalId }),
  proposalsForOrganisation: (orgId: string) => ({ pk: `PROPOSALS#ORG#${orgId}` }),
};

/** The sparse "pending" index: records whose effects are not yet fully applied. */
export const PENDING = 'PENDING';
export const pendingMark = (since: string, id: string) => ({ pendingShard: PENDING, pendingSince: `${since}#${id}` });
