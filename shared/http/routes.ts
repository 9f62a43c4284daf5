import type { RouteSpec } from './route';
import { decideAccreditation } from './routes/accreditation-decide';
import { listAccreditationRequests } from './routes/accreditation-list';
import { requestAccreditation } from './routes/accreditation-request';
import { installCountingRule } from './routes/counting-rule-install';
import { patchCourse } from './routes/course-patch';
import { getCatalog } from './routes/catalog-get';
import { installCatalog } from './routes/catalog-install';
import { listCatalog } from './routes/catalog-list';
import { getCatalogRole } from './routes/catalog-role';
import { importCompletions } from './routes/completion-import';
import { listCompletions } from './routes/completion-list';
import { reportCompletion } from './routes/completion-report';
import { listCountingRules } from './routes/counting-rules';
import { createCourse } from './routes/course-create';
import { getCourse } from './routes/course-get';
import { listCourses } from './routes/course-list';
import { health } from './routes/health';
import { getImport } from './routes/import-get';
import { eraseMyData } from './routes/learner-erase';
import { exportMyData } from './routes/learner-export';
import { getLearner } from './routes/learner-get';
import { getMyProfile } from './routes/learner-get-me';
import { putMyProfile } from './routes/learner-put-me';
import { linkProvider } from './routes/provider-link';
import { unlinkProvider } from './routes/provider-unlink';
import { getSkills } from './routes/learner-skills';
import { createMatchRun } from './routes/match-run-create';
import { getMatchRun } from './routes/match-run-get';
import { startNationalRound } from './routes/match-run-national';
import { getNationalRound } from './routes/match-run-national-get';
import { getRebuild } from './routes/rebuild-get';
import { startRebuild } from './routes/rebuild-start';
import { listMatchRunProposals } from './routes/match-run-proposals';
import { publishMatchRun } from './routes/match-run-publish';
import { createMatchCycle } from './routes/match-cycle-create';
import { getMatchCycle } from './routes/match-cycle-get';
import { listMatchCycles } from './routes/match-cycle-list';
import { listMatchCycleOpenings } from './routes/match-cycle-openings';
import { putMyRankList } from './routes/match-cycle-rank-list-mine';
import { putOpeningRankList } from './routes/match-cycle-rank-list-opening';
import { runMatchCycle } from './routes/match-cycle-run';
import { me } from './routes/me';
import { openapi } from './routes/openapi';
import { rankCandidates } from './routes/opening-candidates';
import { createOpening } from './routes/opening-create';
import { getOpening } from './routes/opening-get';
import { listOpenings } from './routes/opening-list';
import { patchOpening } from './routes/opening-patch';
import { getMyOrganisation } from './routes/organisation-get-me';
import { listMyOpenings } from './routes/organisation-openings';
import { putMyOrganisation } from './routes/organisation-put-me';
import { getPlacementsReport } from './routes/placements-report';
import { getCredentialKeys } from './routes/credential-jwks';
import { getCredentialIssuer } from './routes/credential-issuer';
import { getCredentialStatusList } from './routes/credential-status';
import { verifyCredential } from './routes/credential-verify';
import { listMyCredentials } from './routes/credential-list-mine';
import { issueMyCredential } from './routes/credential-issue';
import { getXapiAbout } from './routes/xapi-about';
import { postXapiStatements } from './routes/xapi-statements-post';
import { putXapiStatement } from './routes/xapi-statements-put';
import { getXapiStatements } from './routes/xapi-statements-get';
import { mapXapiAccount } from './routes/xapi-account-map';
import { createXapiClient } from './routes/xapi-client-create';
import { registerXapiActivity } from './routes/xapi-activity-register';
import { saveTrustedIssuer } from './routes/trusted-issuer-save';
import { listTrustedIssuers } from './routes/trusted-issuer-list';
import { receiveCredential } from './routes/credential-receive';
import { getProgress } from './routes/progress';
import { getProgressSeries } from './routes/progress-series';
import { listProgressRevisions } from './routes/progress-revisions';
import { decideProposal } from './routes/proposal-decide';
import { endPlacement } from './routes/proposal-end';
import { getProposal } from './routes/proposal-get';
import { listMyProposals } from './routes/proposal-list';

export { completionCsvDescription } from './routes/completion-import';

/**
 * The HTTP API, declared once: each route's spec lives in a module of its own
 * (shared/http/routes/<handler>.ts, named like its function functions/<handler>.ts), so a
 * Lambda function imports and evaluates only its own route's schemas. This table gathers
 * them, in a fixed order, for the CDK stack, the local host, the OpenAPI document and the
 * tests. Adding a route: write its module, add it here, and write functions/<handler>.ts
 * importing that module (never this table: test/unit/route-modules.test.ts checks).
 */
export const routes = {
  health,
  openapi,
  me,
  listCatalog,
  getCatalog,
  getCatalogRole,
  installCatalog,
  putMyProfile,
  getMyProfile,
  exportMyData,
  eraseMyData,
  linkProvider,
  unlinkProvider,
  getLearner,
  createCourse,
  getCourse,
  listCourses,
  patchCourse,
  requestAccreditation,
  listAccreditationRequests,
  decideAccreditation,
  reportCompletion,
  importCompletions,
  getImport,
  listCompletions,
  getSkills,
  listCountingRules,
  installCountingRule,
  getProgress,
  getProgressSeries,
  listProgressRevisions,
  putMyOrganisation,
  getMyOrganisation,
  listMyOpenings,
  createOpening,
  listOpenings,
  getOpening,
  patchOpening,
  rankCandidates,
  createMatchRun,
  startNationalRound,
  getNationalRound,
  startRebuild,
  getRebuild,
  getMatchRun,
  listMatchRunProposals,
  publishMatchRun,
  createMatchCycle,
  listMatchCycles,
  getMatchCycle,
  listMatchCycleOpenings,
  putMyRankList,
  putOpeningRankList,
  runMatchCycle,
  listMyProposals,
  getProposal,
  decideProposal,
  endPlacement,
  getPlacementsReport,
  getCredentialKeys,
  getCredentialIssuer,
  getCredentialStatusList,
  verifyCredential,
  listMyCredentials,
  issueMyCredential,
  createXapiClient,
  mapXapiAccount,
  registerXapiActivity,
  getXapiAbout,
  postXapiStatements,
  putXapiStatement,
  getXapiStatements,
  saveTrustedIssuer,
  listTrustedIssuers,
  receiveCredential,
} satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;
export const routeList: readonly (RouteSpec & { id: string })[] = Object.entries(routes).map(([id, spec]) => ({ id, ...spec }));
