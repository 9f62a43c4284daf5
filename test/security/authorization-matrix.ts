import { routes, type RouteId } from '../../shared/http/routes';

/**
 * THE AUTHORIZATION MATRIX: who gets which status class on every route of the route table
 * (shared/http/routes.ts), for every kind of caller and every relation between the caller
 * and the object addressed. One line per route x caller x relation (x variant); the test
 * (authorization-matrix.test.ts) sends a request that is valid in every other respect and
 * asserts the class. A route of the route table without lines here fails the suite.
 *
 * Callers (fixed identities, built by test/support/security-world.ts):
 *   anonymous     no Authorization header
 *   learner       L1 "sec-l1", lives in 鳥取県 (31), consents to matching
 *   provider      training provider A ("sec-prov-a")
 *   employer      employer A, 因幡データ (法人番号 7123456789012, head office in 31)
 *   municipality  鳥取市 (local government code 312011, in 31)
 *   center        the professional-talent center of 鳥取県 (31)
 *   admin         the national office
 *
 * Relations (the object addressed, as seen by the caller):
 *   n/a                         nothing to relate: public objects, creation, a role refused at
 *                               the route (the most favourable object is used), admin's view
 *   own                         the caller's own object (L1 themselves; provider A's course, or
 *                               a learner with completions of it; the organisation's own
 *                               organisation, openings and proposals)
 *   other-learner               another learner's data (L3) or proposal (L5)
 *   other-organisation          provider B's course; employer B's objects (for the employer);
 *                               employer A's objects (for the municipality)
 *   other-organisation-same-id  the object of an organisation of the OTHER kind whose id equals
 *                               the caller's org claim (an employer token with org 312011 on
 *                               鳥取市's objects; a municipality token with org 7123456789012 on
 *                               因幡データ's). Such a token is refused outright (401): the org
 *                               claim is parsed by kind (corporate number for an employer,
 *                               local government code for a municipality).
 *   same-prefecture             (center) an object in 31: L1, employer A's openings, run R31
 *                               and its proposals; progress cells of 31
 *   same-prefecture-no-consent  (center) L2: lives in 31 but withholds consent
 *   other-prefecture            (center) an object in 32: L3, employer B's openings, runs
 *                               R32/U32 and their proposals; progress cells of 32
 *
 * Variants (only where the object's state changes who may see it):
 *   open / draft                the opening (GET /v1/openings/{id}) or listing
 *                               (GET /v1/openings: ?prefecture=31 vs ?status=draft[&prefecture])
 *   national / fine-cells       GET /v1/progress without filters vs ?prefecture=&type=
 *   own-course / foreign-course the course named in a CSV import row (foreign: answers 200 with
 *                               the row refused; the test also proves nothing was stored)
 *   works-here                  (center, same-prefecture) L6: lives in 32 but wants to work in 31
 *   place-free                  (center, other-prefecture) L7: lives in and wants only 32, with
 *                               place-free consent (README "Consent scope")
 *   unpublished                 a proposal of run U31, never published (lines without a variant
 *                               address published proposals)
 *
 * Expect: 2xx, 401, 403 or 404. Every line that expects 401/403/404 also asserts a
 * problem+json answer and that the table is byte-for-byte unchanged.
 */
const TABLE = `
route                  caller        relation                    variant         expect
# GET /health — public
health                 anonymous     n/a                         -               2xx
health                 learner       n/a                         -               2xx
health                 provider      n/a                         -               2xx
health                 employer      n/a                         -               2xx
health                 municipality  n/a                         -               2xx
health                 center        n/a                         -               2xx
health                 admin         n/a                         -               2xx
# GET /openapi.json — public
openapi                anonymous     n/a                         -               2xx
openapi                learner       n/a                         -               2xx
openapi                provider      n/a                         -               2xx
openapi                employer      n/a                         -               2xx
openapi                municipality  n/a                         -               2xx
openapi                center        n/a                         -               2xx
openapi                admin         n/a                         -               2xx
# GET /v1/me — any role
me                     anonymous     n/a                         -               401
me                     learner       own                         -               2xx
me                     provider      own                         -               2xx
me                     employer      own                         -               2xx
me                     municipality  own                         -               2xx
me                     center        own                         -               2xx
me                     admin         own                         -               2xx
# GET /v1/catalog — public
listCatalog            anonymous     n/a                         -               2xx
listCatalog            learner       n/a                         -               2xx
listCatalog            provider      n/a                         -               2xx
listCatalog            employer      n/a                         -               2xx
listCatalog            municipality  n/a                         -               2xx
listCatalog            center        n/a                         -               2xx
listCatalog            admin         n/a                         -               2xx
# GET /v1/catalog/{version} — public
getCatalog             anonymous     n/a                         -               2xx
getCatalog             learner       n/a                         -               2xx
getCatalog             provider      n/a                         -               2xx
getCatalog             employer      n/a                         -               2xx
getCatalog             municipality  n/a                         -               2xx
getCatalog             center        n/a                         -               2xx
getCatalog             admin         n/a                         -               2xx
# GET /v1/catalog/{version}/roles/{roleId} — public
getCatalogRole         anonymous     n/a                         -               2xx
getCatalogRole         learner       n/a                         -               2xx
getCatalogRole         provider      n/a                         -               2xx
getCatalogRole         employer      n/a                         -               2xx
getCatalogRole         municipality  n/a                         -               2xx
getCatalogRole         center        n/a                         -               2xx
getCatalogRole         admin         n/a                         -               2xx
# POST /v1/catalog/versions — admin
installCatalog         anonymous     n/a                         -               401
installCatalog         learner       n/a                         -               403
installCatalog         provider      n/a                         -               403
installCatalog         employer      n/a                         -               403
installCatalog         municipality  n/a                         -               403
installCatalog         center        n/a                         -               403
installCatalog         admin         n/a                         -               2xx
# PUT /v1/learners/me — learner
putMyProfile           anonymous     n/a                         -               401
putMyProfile           learner       own                         -               2xx
putMyProfile           provider      n/a                         -               403
putMyProfile           employer      n/a                         -               403
putMyProfile           municipality  n/a                         -               403
putMyProfile           center        n/a                         -               403
putMyProfile           admin         n/a                         -               403
# GET /v1/learners/me — learner
getMyProfile           anonymous     n/a                         -               401
getMyProfile           learner       own                         -               2xx
getMyProfile           provider      n/a                         -               403
getMyProfile           employer      n/a                         -               403
getMyProfile           municipality  n/a                         -               403
getMyProfile           center        n/a                         -               403
getMyProfile           admin         n/a                         -               403
# GET /v1/learners/me/export — learner (APPI disclosure of their own data)
exportMyData           anonymous     n/a                         -               401
exportMyData           learner       own                         -               2xx
exportMyData           provider      n/a                         -               403
exportMyData           employer      n/a                         -               403
exportMyData           municipality  n/a                         -               403
exportMyData           center        n/a                         -               403
exportMyData           admin         n/a                         -               403
# DELETE /v1/learners/me — learner (APPI erasure of their own data; the learner line erases a throwaway learner, not L1)
eraseMyData            anonymous     n/a                         -               401
eraseMyData            learner       own                         -               2xx
eraseMyData            provider      n/a                         -               403
eraseMyData            employer      n/a                         -               403
eraseMyData            municipality  n/a                         -               403
eraseMyData            center        n/a                         -               403
eraseMyData            admin         n/a                         -               403
# PUT /v1/learners/me/providers/{providerId} — learner (links a provider to themselves only: there is no learner id to name)
linkProvider           anonymous     n/a                         -               401
linkProvider           learner       own                         -               2xx
linkProvider           provider      n/a                         -               403
linkProvider           employer      n/a                         -               403
linkProvider           municipality  n/a                         -               403
linkProvider           center        n/a                         -               403
linkProvider           admin         n/a                         -               403
# DELETE /v1/learners/me/providers/{providerId} — learner (revokes their own link)
unlinkProvider         anonymous     n/a                         -               401
unlinkProvider         learner       own                         -               2xx
unlinkProvider         provider      n/a                         -               403
unlinkProvider         employer      n/a                         -               403
unlinkProvider         municipality  n/a                         -               403
unlinkProvider         center        n/a                         -               403
unlinkProvider         admin         n/a                         -               403
# GET /v1/learners/{learnerId} — the learner; if they consent, a center of a prefecture they live in or want to work in, or any center with place-free consent; admin
getLearner             anonymous     n/a                         -               401
getLearner             learner       own                         -               2xx
getLearner             learner       other-learner               -               403
getLearner             provider      n/a                         -               403
getLearner             employer      n/a                         -               403
getLearner             municipality  n/a                         -               403
getLearner             center        same-prefecture             -               2xx
getLearner             center        same-prefecture             works-here      2xx
getLearner             center        same-prefecture-no-consent  -               404
getLearner             center        other-prefecture            -               404
getLearner             center        other-prefecture            place-free      2xx
getLearner             admin         n/a                         -               2xx
# POST /v1/courses — provider (for itself)
createCourse           anonymous     n/a                         -               401
createCourse           learner       n/a                         -               403
createCourse           provider      own                         -               2xx
createCourse           employer      n/a                         -               403
createCourse           municipality  n/a                         -               403
createCourse           center        n/a                         -               403
createCourse           admin         n/a                         -               403
# GET /v1/courses/{courseId} — public
getCourse              anonymous     n/a                         -               2xx
getCourse              learner       n/a                         -               2xx
getCourse              provider      own                         -               2xx
getCourse              provider      other-organisation          -               2xx
getCourse              employer      n/a                         -               2xx
getCourse              municipality  n/a                         -               2xx
getCourse              center        n/a                         -               2xx
getCourse              admin         n/a                         -               2xx
# GET /v1/courses — public
listCourses            anonymous     n/a                         -               2xx
listCourses            learner       n/a                         -               2xx
listCourses            provider      n/a                         -               2xx
listCourses            employer      n/a                         -               2xx
listCourses            municipality  n/a                         -               2xx
listCourses            center        n/a                         -               2xx
listCourses            admin         n/a                         -               2xx
# PATCH /v1/courses/{courseId} — the course's own provider
patchCourse            anonymous     n/a                         -               401
patchCourse            learner       n/a                         -               403
patchCourse            provider      own                         -               2xx
patchCourse            provider      other-organisation          -               403
patchCourse            employer      n/a                         -               403
patchCourse            municipality  n/a                         -               403
patchCourse            center        n/a                         -               403
patchCourse            admin         n/a                         -               403
# POST /v1/courses/{courseId}/accreditation-requests — the course's own provider
requestAccreditation   anonymous     n/a                         -               401
requestAccreditation   learner       n/a                         -               403
requestAccreditation   provider      own                         -               2xx
requestAccreditation   provider      other-organisation          -               403
requestAccreditation   employer      n/a                         -               403
requestAccreditation   municipality  n/a                         -               403
requestAccreditation   center        n/a                         -               403
requestAccreditation   admin         n/a                         -               403
# GET /v1/accreditation-requests — admin
listAccreditationRequests anonymous  n/a                         -               401
listAccreditationRequests learner    n/a                         -               403
listAccreditationRequests provider   n/a                         -               403
listAccreditationRequests employer   n/a                         -               403
listAccreditationRequests municipality n/a                       -               403
listAccreditationRequests center     n/a                         -               403
listAccreditationRequests admin      n/a                         -               2xx
# POST /v1/accreditation-requests/{requestId}/decision — admin
decideAccreditation    anonymous     n/a                         -               401
decideAccreditation    learner       n/a                         -               403
decideAccreditation    provider      n/a                         -               403
decideAccreditation    employer      n/a                         -               403
decideAccreditation    municipality  n/a                         -               403
decideAccreditation    center        n/a                         -               403
decideAccreditation    admin         n/a                         -               2xx
# POST /v1/completions — a learner for themselves (with evidence); a provider for its own courses
reportCompletion       anonymous     n/a                         -               401
reportCompletion       learner       own                         -               2xx
reportCompletion       learner       other-learner               -               403
reportCompletion       provider      own                         -               2xx
reportCompletion       provider      other-organisation          -               403
reportCompletion       employer      n/a                         -               403
reportCompletion       municipality  n/a                         -               403
reportCompletion       center        n/a                         -               403
reportCompletion       admin         n/a                         -               403
# POST /v1/completions/import — provider (rows of another provider's courses are refused one by one)
importCompletions      anonymous     n/a                         -               401
importCompletions      learner       n/a                         -               403
importCompletions      provider      own                         own-course      2xx
importCompletions      provider      other-organisation          foreign-course  2xx
importCompletions      employer      n/a                         -               403
importCompletions      municipality  n/a                         -               403
importCompletions      center        n/a                         -               403
importCompletions      admin         n/a                         -               403
# GET /v1/imports/{importId} — the provider that uploaded it (any account of it), admin; another provider learns nothing (404)
getImport              anonymous     n/a                         -               401
getImport              learner       n/a                         -               403
getImport              provider      own                         -               2xx
getImport              provider      other-organisation          -               404
getImport              employer      n/a                         -               403
getImport              municipality  n/a                         -               403
getImport              center        n/a                         -               403
getImport              admin         n/a                         -               2xx
# GET /v1/learners/{learnerId}/completions — the learner; provider (its courses' completions only); center (as getLearner); admin
listCompletions        anonymous     n/a                         -               401
listCompletions        learner       own                         -               2xx
listCompletions        learner       other-learner               -               403
listCompletions        provider      own                         -               2xx
listCompletions        provider      other-organisation          -               2xx
listCompletions        employer      n/a                         -               403
listCompletions        municipality  n/a                         -               403
listCompletions        center        same-prefecture             -               2xx
listCompletions        center        same-prefecture             works-here      2xx
listCompletions        center        same-prefecture-no-consent  -               404
listCompletions        center        other-prefecture            -               404
listCompletions        center        other-prefecture            place-free      2xx
listCompletions        admin         n/a                         -               2xx
# GET /v1/learners/{learnerId}/skills — the learner; center (as getLearner); admin
getSkills              anonymous     n/a                         -               401
getSkills              learner       own                         -               2xx
getSkills              learner       other-learner               -               403
getSkills              provider      n/a                         -               403
getSkills              employer      n/a                         -               403
getSkills              municipality  n/a                         -               403
getSkills              center        same-prefecture             -               2xx
getSkills              center        same-prefecture             works-here      2xx
getSkills              center        same-prefecture-no-consent  -               404
getSkills              center        other-prefecture            -               404
getSkills              center        other-prefecture            place-free      2xx
getSkills              admin         n/a                         -               2xx
# GET /v1/counting-rules — public
listCountingRules      anonymous     n/a                         -               2xx
listCountingRules      learner       n/a                         -               2xx
listCountingRules      provider      n/a                         -               2xx
listCountingRules      employer      n/a                         -               2xx
listCountingRules      municipality  n/a                         -               2xx
listCountingRules      center        n/a                         -               2xx
listCountingRules      admin         n/a                         -               2xx
# POST /v1/counting-rules — admin
installCountingRule    anonymous     n/a                         -               401
installCountingRule    learner       n/a                         -               403
installCountingRule    provider      n/a                         -               403
installCountingRule    employer      n/a                         -               403
installCountingRule    municipality  n/a                         -               403
installCountingRule    center        n/a                         -               403
installCountingRule    admin         n/a                         -               2xx
# GET /v1/progress — public; prefecture x type/role cells for admin and that prefecture's center
getProgress            anonymous     n/a                         national        2xx
getProgress            learner       n/a                         national        2xx
getProgress            provider      n/a                         national        2xx
getProgress            employer      n/a                         national        2xx
getProgress            municipality  n/a                         national        2xx
getProgress            center        n/a                         national        2xx
getProgress            admin         n/a                         national        2xx
getProgress            anonymous     n/a                         fine-cells      403
getProgress            learner       n/a                         fine-cells      403
getProgress            provider      n/a                         fine-cells      403
getProgress            employer      n/a                         fine-cells      403
getProgress            municipality  n/a                         fine-cells      403
getProgress            center        same-prefecture             fine-cells      2xx
getProgress            center        other-prefecture            fine-cells      403
getProgress            admin         n/a                         fine-cells      2xx
# GET /v1/progress/series — public (national; small counts kept from being recovered unless admin)
getProgressSeries      anonymous     n/a                         -               2xx
getProgressSeries      learner       n/a                         -               2xx
getProgressSeries      provider      n/a                         -               2xx
getProgressSeries      employer      n/a                         -               2xx
getProgressSeries      municipality  n/a                         -               2xx
getProgressSeries      center        n/a                         -               2xx
getProgressSeries      admin         n/a                         -               2xx
# GET /v1/progress/revisions — admin
listProgressRevisions  anonymous     n/a                         -               401
listProgressRevisions  learner       n/a                         -               403
listProgressRevisions  provider      n/a                         -               403
listProgressRevisions  employer      n/a                         -               403
listProgressRevisions  municipality  n/a                         -               403
listProgressRevisions  center        n/a                         -               403
listProgressRevisions  admin         n/a                         -               2xx
# PUT /v1/organisations/me — employer or municipality, for the organisation its token names
putMyOrganisation      anonymous     n/a                         -               401
putMyOrganisation      learner       n/a                         -               403
putMyOrganisation      provider      n/a                         -               403
putMyOrganisation      employer      own                         -               2xx
putMyOrganisation      employer      other-organisation          -               403
putMyOrganisation      municipality  own                         -               2xx
putMyOrganisation      municipality  other-organisation          -               403
putMyOrganisation      center        n/a                         -               403
putMyOrganisation      admin         n/a                         -               403
# GET /v1/organisations/me — employer or municipality
getMyOrganisation      anonymous     n/a                         -               401
getMyOrganisation      learner       n/a                         -               403
getMyOrganisation      provider      n/a                         -               403
getMyOrganisation      employer      own                         -               2xx
getMyOrganisation      municipality  own                         -               2xx
getMyOrganisation      center        n/a                         -               403
getMyOrganisation      admin         n/a                         -               403
# POST /v1/openings — employer or municipality (a draft of its own organisation)
createOpening          anonymous     n/a                         -               401
createOpening          learner       n/a                         -               403
createOpening          provider      n/a                         -               403
createOpening          employer      own                         -               2xx
createOpening          municipality  own                         -               2xx
createOpening          center        n/a                         -               403
createOpening          admin         n/a                         -               403
# GET /v1/openings — the search: open ones for anyone; other statuses: centers in their prefecture, admin (an organisation's own: GET /v1/organisations/me/openings)
listOpenings           anonymous     n/a                         open            2xx
listOpenings           learner       n/a                         open            2xx
listOpenings           provider      n/a                         open            2xx
listOpenings           employer      n/a                         open            2xx
listOpenings           municipality  n/a                         open            2xx
listOpenings           center        n/a                         open            2xx
listOpenings           admin         n/a                         open            2xx
# Without a prefecture: the open openings of the whole country, for everyone alike
listOpenings           anonymous     n/a                         national        2xx
listOpenings           learner       n/a                         national        2xx
listOpenings           provider      n/a                         national        2xx
listOpenings           employer      n/a                         national        2xx
listOpenings           municipality  n/a                         national        2xx
listOpenings           center        n/a                         national        2xx
listOpenings           admin         n/a                         national        2xx
listOpenings           anonymous     n/a                         draft           403
listOpenings           learner       n/a                         draft           403
listOpenings           provider      n/a                         draft           403
listOpenings           employer      n/a                         draft           403
listOpenings           employer      own                         draft           403
listOpenings           municipality  n/a                         draft           403
listOpenings           municipality  own                         draft           403
listOpenings           center        same-prefecture             draft           2xx
listOpenings           center        other-prefecture            draft           403
listOpenings           admin         n/a                         draft           2xx
# GET /v1/organisations/me/openings — employer or municipality: its own openings in any status
listMyOpenings         anonymous     n/a                         -               401
listMyOpenings         learner       n/a                         -               403
listMyOpenings         provider      n/a                         -               403
listMyOpenings         employer      own                         -               2xx
listMyOpenings         municipality  own                         -               2xx
listMyOpenings         center        n/a                         -               403
listMyOpenings         admin         n/a                         -               403
# GET /v1/openings/{openingId} — open: anyone; otherwise the owner, the center of the workplace prefecture, admin
getOpening             anonymous     n/a                         open            2xx
getOpening             learner       n/a                         open            2xx
getOpening             provider      n/a                         open            2xx
getOpening             employer      other-organisation          open            2xx
getOpening             municipality  other-organisation          open            2xx
getOpening             center        other-prefecture            open            2xx
getOpening             admin         n/a                         open            2xx
getOpening             anonymous     n/a                         draft           404
getOpening             learner       n/a                         draft           404
getOpening             provider      n/a                         draft           404
getOpening             employer      own                         draft           2xx
getOpening             employer      other-organisation          draft           404
getOpening             employer      other-organisation-same-id  draft           401
getOpening             municipality  own                         draft           2xx
getOpening             municipality  other-organisation          draft           404
getOpening             municipality  other-organisation-same-id  draft           401
getOpening             center        same-prefecture             draft           2xx
getOpening             center        other-prefecture            draft           404
getOpening             admin         n/a                         draft           2xx
# PATCH /v1/openings/{openingId} — the owner only
patchOpening           anonymous     n/a                         -               401
patchOpening           learner       n/a                         -               403
patchOpening           provider      n/a                         -               403
patchOpening           employer      own                         -               2xx
patchOpening           employer      other-organisation          -               404
patchOpening           employer      other-organisation-same-id  -               401
patchOpening           municipality  own                         -               2xx
patchOpening           municipality  other-organisation          -               404
patchOpening           municipality  other-organisation-same-id  -               401
patchOpening           center        n/a                         -               403
patchOpening           admin         n/a                         -               403
# GET /v1/openings/{openingId}/candidates — the owner (anonymised), the center of the workplace prefecture, admin
rankCandidates         anonymous     n/a                         -               401
rankCandidates         learner       n/a                         -               403
rankCandidates         provider      n/a                         -               403
rankCandidates         employer      own                         -               2xx
rankCandidates         employer      other-organisation          -               404
rankCandidates         employer      other-organisation-same-id  -               401
rankCandidates         municipality  own                         -               2xx
rankCandidates         municipality  other-organisation          -               404
rankCandidates         municipality  other-organisation-same-id  -               401
rankCandidates         center        same-prefecture             -               2xx
rankCandidates         center        other-prefecture            -               404
rankCandidates         admin         n/a                         -               2xx
# POST /v1/match-runs — the center of that prefecture, admin
createMatchRun         anonymous     n/a                         -               401
createMatchRun         learner       n/a                         -               403
createMatchRun         provider      n/a                         -               403
createMatchRun         employer      n/a                         -               403
createMatchRun         municipality  n/a                         -               403
createMatchRun         center        same-prefecture             -               2xx
createMatchRun         center        other-prefecture            -               403
createMatchRun         admin         n/a                         -               2xx
# POST /v1/national-match-runs — admin
startNationalRound     anonymous     n/a                         -               401
startNationalRound     learner       n/a                         -               403
startNationalRound     provider      n/a                         -               403
startNationalRound     employer      n/a                         -               403
startNationalRound     municipality  n/a                         -               403
startNationalRound     center        n/a                         -               403
startNationalRound     admin         n/a                         -               2xx
# GET /v1/national-match-runs/{nationalRunId} — admin
getNationalRound       anonymous     n/a                         -               401
getNationalRound       learner       n/a                         -               403
getNationalRound       provider      n/a                         -               403
getNationalRound       employer      n/a                         -               403
getNationalRound       municipality  n/a                         -               403
getNationalRound       center        n/a                         -               403
getNationalRound       admin         n/a                         -               2xx
# POST /v1/rebuilds — admin
startRebuild           anonymous     n/a                         -               401
startRebuild           learner       n/a                         -               403
startRebuild           provider      n/a                         -               403
startRebuild           employer      n/a                         -               403
startRebuild           municipality  n/a                         -               403
startRebuild           center        n/a                         -               403
startRebuild           admin         n/a                         -               2xx
# GET /v1/rebuilds/{rebuildId} — admin
getRebuild             anonymous     n/a                         -               401
getRebuild             learner       n/a                         -               403
getRebuild             provider      n/a                         -               403
getRebuild             employer      n/a                         -               403
getRebuild             municipality  n/a                         -               403
getRebuild             center        n/a                         -               403
getRebuild             admin         n/a                         -               2xx
# GET /v1/match-runs/{runId} — the center of the run's prefecture, admin
getMatchRun            anonymous     n/a                         -               401
getMatchRun            learner       n/a                         -               403
getMatchRun            provider      n/a                         -               403
getMatchRun            employer      n/a                         -               403
getMatchRun            municipality  n/a                         -               403
getMatchRun            center        same-prefecture             -               2xx
getMatchRun            center        other-prefecture            -               404
getMatchRun            admin         n/a                         -               2xx
# GET /v1/match-runs/{runId}/proposals — the center of the run's prefecture, admin
listMatchRunProposals  anonymous     n/a                         -               401
listMatchRunProposals  learner       n/a                         -               403
listMatchRunProposals  provider      n/a                         -               403
listMatchRunProposals  employer      n/a                         -               403
listMatchRunProposals  municipality  n/a                         -               403
listMatchRunProposals  center        same-prefecture             -               2xx
listMatchRunProposals  center        other-prefecture            -               404
listMatchRunProposals  admin         n/a                         -               2xx
# POST /v1/match-runs/{runId}/publish — the center of the run's prefecture, admin (an unpublished, non-dry run)
publishMatchRun        anonymous     n/a                         -               401
publishMatchRun        learner       n/a                         -               403
publishMatchRun        provider      n/a                         -               403
publishMatchRun        employer      n/a                         -               403
publishMatchRun        municipality  n/a                         -               403
publishMatchRun        center        same-prefecture             -               2xx
publishMatchRun        center        other-prefecture            -               404
publishMatchRun        admin         n/a                         -               2xx
# POST /v1/match-cycles — the center of that prefecture, admin (a national cycle: admin only)
createMatchCycle       anonymous     n/a                         -               401
createMatchCycle       learner       n/a                         -               403
createMatchCycle       provider      n/a                         -               403
createMatchCycle       employer      n/a                         -               403
createMatchCycle       municipality  n/a                         -               403
createMatchCycle       center        same-prefecture             -               2xx
createMatchCycle       center        other-prefecture            -               403
createMatchCycle       admin         n/a                         -               2xx
# GET /v1/match-cycles — the cycles the caller can take part in or runs; a center filters on its own prefecture only
listMatchCycles        anonymous     n/a                         -               401
listMatchCycles        learner       n/a                         -               2xx
listMatchCycles        provider      n/a                         -               403
listMatchCycles        employer      n/a                         -               2xx
listMatchCycles        municipality  n/a                         -               2xx
listMatchCycles        center        same-prefecture             -               2xx
listMatchCycles        center        other-prefecture            -               403
listMatchCycles        admin         n/a                         -               2xx
# GET /v1/match-cycles/{cycleId} — learners, organisations, the center of its prefecture (every center for a national one), admin
getMatchCycle          anonymous     n/a                         -               401
getMatchCycle          learner       n/a                         -               2xx
getMatchCycle          provider      n/a                         -               403
getMatchCycle          employer      n/a                         -               2xx
getMatchCycle          municipality  n/a                         -               2xx
getMatchCycle          center        same-prefecture             -               2xx
getMatchCycle          center        other-prefecture            -               404
getMatchCycle          admin         n/a                         -               2xx
# GET /v1/match-cycles/{cycleId}/openings — as GET /v1/match-cycles/{cycleId}; each sees its own view
listMatchCycleOpenings anonymous     n/a                         -               401
listMatchCycleOpenings learner       n/a                         -               2xx
listMatchCycleOpenings provider      n/a                         -               403
listMatchCycleOpenings employer      n/a                         -               2xx
listMatchCycleOpenings municipality  n/a                         -               2xx
listMatchCycleOpenings center        same-prefecture             -               2xx
listMatchCycleOpenings center        other-prefecture            -               404
listMatchCycleOpenings admin         n/a                         -               2xx
# PUT /v1/match-cycles/{cycleId}/rank-lists/me — the learner, for their own list
putMyRankList          anonymous     n/a                         -               401
putMyRankList          learner       own                         -               2xx
putMyRankList          provider      n/a                         -               403
putMyRankList          employer      n/a                         -               403
putMyRankList          municipality  n/a                         -               403
putMyRankList          center        n/a                         -               403
putMyRankList          admin         n/a                         -               403
# PUT /v1/match-cycles/{cycleId}/openings/{openingId}/rank-list — the opening's organisation
putOpeningRankList     anonymous     n/a                         -               401
putOpeningRankList     learner       n/a                         -               403
putOpeningRankList     provider      n/a                         -               403
putOpeningRankList     employer      own                         -               2xx
putOpeningRankList     employer      other-organisation          -               404
putOpeningRankList     employer      other-organisation-same-id  -               401
putOpeningRankList     municipality  own                         -               2xx
putOpeningRankList     municipality  other-organisation          -               404
putOpeningRankList     municipality  other-organisation-same-id  -               401
putOpeningRankList     center        n/a                         -               403
putOpeningRankList     admin         n/a                         -               403
# POST /v1/match-cycles/{cycleId}/run — the center of its prefecture, admin (a cycle whose window has closed)
runMatchCycle          anonymous     n/a                         -               401
runMatchCycle          learner       n/a                         -               403
runMatchCycle          provider      n/a                         -               403
runMatchCycle          employer      n/a                         -               403
runMatchCycle          municipality  n/a                         -               403
runMatchCycle          center        same-prefecture             -               2xx
runMatchCycle          center        other-prefecture            -               404
runMatchCycle          admin         n/a                         -               2xx
# GET /v1/proposals — a learner's own; an organisation's (see the organisation-kind list checks in the test)
listMyProposals        anonymous     n/a                         -               401
listMyProposals        learner       own                         -               2xx
listMyProposals        provider      n/a                         -               403
listMyProposals        employer      own                         -               2xx
listMyProposals        municipality  own                         -               2xx
listMyProposals        center        n/a                         -               403
listMyProposals        admin         n/a                         -               403
# GET /v1/proposals/{proposalId} — its candidate, its organisation (once the candidate accepted), the center of the run's prefecture, admin
getProposal            anonymous     n/a                         -               401
getProposal            learner       own                         -               2xx
getProposal            learner       other-learner               -               404
getProposal            provider      n/a                         -               403
getProposal            employer      own                         -               2xx
getProposal            employer      other-organisation          -               404
getProposal            employer      other-organisation-same-id  -               401
getProposal            municipality  own                         -               2xx
getProposal            municipality  other-organisation          -               404
getProposal            municipality  other-organisation-same-id  -               401
getProposal            center        same-prefecture             -               2xx
getProposal            center        other-prefecture            -               404
getProposal            admin         n/a                         -               2xx
getProposal            learner       own                         unpublished     404
getProposal            employer      own                         unpublished     404
getProposal            municipality  own                         unpublished     404
getProposal            center        same-prefecture             unpublished     2xx
getProposal            admin         n/a                         unpublished     2xx
# POST /v1/proposals/{proposalId}/decision — its candidate (first), then its organisation, once published
decideProposal         anonymous     n/a                         -               401
decideProposal         learner       own                         -               2xx
decideProposal         learner       other-learner               -               404
decideProposal         provider      n/a                         -               403
decideProposal         employer      own                         -               2xx
decideProposal         employer      other-organisation          -               404
decideProposal         employer      other-organisation-same-id  -               401
decideProposal         municipality  own                         -               2xx
decideProposal         municipality  other-organisation          -               404
decideProposal         municipality  other-organisation-same-id  -               401
decideProposal         center        n/a                         -               403
decideProposal         admin         n/a                         -               403
decideProposal         learner       own                         unpublished     404
decideProposal         employer      own                         unpublished     404
decideProposal         municipality  own                         unpublished     404
# POST /v1/proposals/{proposalId}/end — an accepted placement's organisation, the center of its prefecture, admin
endPlacement           anonymous     n/a                         -               401
endPlacement           learner       own                         -               403
endPlacement           provider      n/a                         -               403
endPlacement           employer      own                         -               2xx
endPlacement           employer      other-organisation          -               404
endPlacement           employer      other-organisation-same-id  -               401
endPlacement           municipality  own                         -               2xx
endPlacement           municipality  other-organisation          -               404
endPlacement           municipality  other-organisation-same-id  -               401
endPlacement           center        same-prefecture             -               2xx
endPlacement           center        other-prefecture            -               404
endPlacement           admin         n/a                         -               2xx
# GET /v1/progress/placements — public (small cells suppressed unless admin or that prefecture's center)
getPlacementsReport    anonymous     n/a                         -               2xx
getPlacementsReport    learner       n/a                         -               2xx
getPlacementsReport    provider      n/a                         -               2xx
getPlacementsReport    employer      n/a                         -               2xx
getPlacementsReport    municipality  n/a                         -               2xx
getPlacementsReport    center        same-prefecture             -               2xx
getPlacementsReport    admin         n/a                         -               2xx
# POST /v1/learners/me/credentials — learner (for themselves)
issueMyCredential      anonymous     n/a                         -               401
issueMyCredential      learner       own                         -               2xx
issueMyCredential      provider      n/a                         -               403
issueMyCredential      employer      n/a                         -               403
issueMyCredential      municipality  n/a                         -               403
issueMyCredential      center        n/a                         -               403
issueMyCredential      admin         n/a                         -               403
# GET /v1/learners/me/credentials — learner (their own)
listMyCredentials      anonymous     n/a                         -               401
listMyCredentials      learner       own                         -               2xx
listMyCredentials      provider      n/a                         -               403
listMyCredentials      employer      n/a                         -               403
listMyCredentials      municipality  n/a                         -               403
listMyCredentials      center        n/a                         -               403
listMyCredentials      admin         n/a                         -               403
# GET /.well-known/jwks.json — public
getCredentialKeys      anonymous     n/a                         -               2xx
getCredentialKeys      learner       n/a                         -               2xx
getCredentialKeys      provider      n/a                         -               2xx
getCredentialKeys      employer      n/a                         -               2xx
getCredentialKeys      municipality  n/a                         -               2xx
getCredentialKeys      center        n/a                         -               2xx
getCredentialKeys      admin         n/a                         -               2xx
# GET /v1/credentials/issuer — public
getCredentialIssuer    anonymous     n/a                         -               2xx
getCredentialIssuer    learner       n/a                         -               2xx
getCredentialIssuer    provider      n/a                         -               2xx
getCredentialIssuer    employer      n/a                         -               2xx
getCredentialIssuer    municipality  n/a                         -               2xx
getCredentialIssuer    center        n/a                         -               2xx
getCredentialIssuer    admin         n/a                         -               2xx
# GET /v1/credentials/status/{list} — public
getCredentialStatusList anonymous     n/a                         -               2xx
getCredentialStatusList learner       n/a                         -               2xx
getCredentialStatusList provider      n/a                         -               2xx
getCredentialStatusList employer      n/a                         -               2xx
getCredentialStatusList municipality  n/a                         -               2xx
getCredentialStatusList center        n/a                         -               2xx
getCredentialStatusList admin         n/a                         -               2xx
# POST /v1/credentials/verify — public
verifyCredential       anonymous     n/a                         -               2xx
verifyCredential       learner       n/a                         -               2xx
verifyCredential       provider      n/a                         -               2xx
verifyCredential       employer      n/a                         -               2xx
verifyCredential       municipality  n/a                         -               2xx
verifyCredential       center        n/a                         -               2xx
verifyCredential       admin         n/a                         -               2xx
# POST /v1/xapi/accounts — provider (for a learner who linked it)
mapXapiAccount         anonymous     n/a                         -               401
mapXapiAccount         learner       n/a                         -               403
mapXapiAccount         provider      own                         -               2xx
mapXapiAccount         employer      n/a                         -               403
mapXapiAccount         municipality  n/a                         -               403
mapXapiAccount         center        n/a                         -               403
mapXapiAccount         admin         n/a                         -               403
# POST /v1/xapi/credentials — provider
createXapiClient       anonymous     n/a                         -               401
createXapiClient       learner       n/a                         -               403
createXapiClient       provider      own                         -               2xx
createXapiClient       employer      n/a                         -               403
createXapiClient       municipality  n/a                         -               403
createXapiClient       center        n/a                         -               403
createXapiClient       admin         n/a                         -               403
# PUT /v1/courses/{courseId}/xapi-activities — provider (its own courses)
registerXapiActivity   anonymous     n/a                         -               401
registerXapiActivity   learner       n/a                         -               403
registerXapiActivity   provider      own                         -               2xx
registerXapiActivity   provider      other-organisation          -               404
registerXapiActivity   employer      n/a                         -               403
registerXapiActivity   municipality  n/a                         -               403
registerXapiActivity   center        n/a                         -               403
registerXapiActivity   admin         n/a                         -               403
# GET /xapi/about — public
getXapiAbout           anonymous     n/a                         -               2xx
getXapiAbout           learner       n/a                         -               2xx
getXapiAbout           provider      n/a                         -               2xx
getXapiAbout           employer      n/a                         -               2xx
getXapiAbout           municipality  n/a                         -               2xx
getXapiAbout           center        n/a                         -               2xx
getXapiAbout           admin         n/a                         -               2xx
# POST /xapi/statements — a provider's xAPI client (HTTP Basic key/secret; bearer tokens are refused: 401)
postXapiStatements     anonymous     n/a                         -               401
postXapiStatements     learner       n/a                         -               401
postXapiStatements     provider      own                         -               2xx
postXapiStatements     employer      n/a                         -               401
postXapiStatements     municipality  n/a                         -               401
postXapiStatements     center        n/a                         -               401
postXapiStatements     admin         n/a                         -               401
# PUT /xapi/statements — a provider's xAPI client (HTTP Basic key/secret; bearer tokens are refused: 401)
putXapiStatement       anonymous     n/a                         -               401
putXapiStatement       learner       n/a                         -               401
putXapiStatement       provider      own                         -               2xx
putXapiStatement       employer      n/a                         -               401
putXapiStatement       municipality  n/a                         -               401
putXapiStatement       center        n/a                         -               401
putXapiStatement       admin         n/a                         -               401
# GET /xapi/statements — a provider's xAPI client (HTTP Basic key/secret; bearer tokens are refused: 401)
getXapiStatements      anonymous     n/a                         -               401
getXapiStatements      learner       n/a                         -               401
getXapiStatements      provider      own                         -               2xx
getXapiStatements      employer      n/a                         -               401
getXapiStatements      municipality  n/a                         -               401
getXapiStatements      center        n/a                         -               401
getXapiStatements      admin         n/a                         -               401
# POST /v1/trusted-issuers — admin
saveTrustedIssuer      anonymous     n/a                         -               401
saveTrustedIssuer      learner       n/a                         -               403
saveTrustedIssuer      provider      n/a                         -               403
saveTrustedIssuer      employer      n/a                         -               403
saveTrustedIssuer      municipality  n/a                         -               403
saveTrustedIssuer      center        n/a                         -               403
saveTrustedIssuer      admin         n/a                         -               2xx
# GET /v1/trusted-issuers — admin
listTrustedIssuers     anonymous     n/a                         -               401
listTrustedIssuers     learner       n/a                         -               403
listTrustedIssuers     provider      n/a                         -               403
listTrustedIssuers     employer      n/a                         -               403
listTrustedIssuers     municipality  n/a                         -               403
listTrustedIssuers     center        n/a                         -               403
listTrustedIssuers     admin         n/a                         -               2xx
# POST /v1/learners/me/credentials/received — learner
receiveCredential      anonymous     n/a                         -               401
receiveCredential      learner       own                         -               2xx
receiveCredential      provider      n/a                         -               403
receiveCredential      employer      n/a                         -               403
receiveCredential      municipality  n/a                         -               403
receiveCredential      center        n/a                         -               403
receiveCredential      admin         n/a                         -               403
`;

export const callers = ['anonymous', 'learner', 'provider', 'employer', 'municipality', 'center', 'admin'] as const;
export type Caller = (typeof callers)[number];

export const relations = [
  'n/a',
  'own',
  'other-learner',
  'other-organisation',
  'other-organisation-same-id',
  'same-prefecture',
  'same-prefecture-no-consent',
  'other-prefecture',
] as const;
export type Relation = (typeof relations)[number];

export const variants = ['open', 'draft', 'national', 'fine-cells', 'own-course', 'foreign-course', 'works-here', 'place-free', 'unpublished'] as const;
export type Variant = (typeof variants)[number];

export const expectations = ['2xx', '401', '403', '404'] as const;
export type Expectation = (typeof expectations)[number];

export interface MatrixRow {
  route: RouteId;
  caller: Caller;
  relation: Relation;
  variant?: Variant;
  expect: Expectation;
  /** The line in TABLE, for messages. */
  line: number;
}

function oneOf<T extends string>(allowed: readonly T[], value: string, what: string, line: number): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`authorization-matrix.ts TABLE line ${line}: unknown ${what} "${value}"`);
  return value as T;
}

/** Parses TABLE; any unknown route id, caller, relation, variant or status is an error. */
export function parseMatrix(text: string = TABLE): MatrixRow[] {
  const rows: MatrixRow[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('route ')) return;
    const cells = trimmed.split(/\s+/);
    if (cells.length !== 5) throw new Error(`authorization-matrix.ts TABLE line ${line}: expected 5 columns, got ${cells.length}`);
    const [route, caller, relation, variant, expect] = cells as [string, string, string, string, string];
    rows.push({
      route: oneOf(Object.keys(routes) as RouteId[], route, 'route id', line),
      caller: oneOf(callers, caller, 'caller', line),
      relation: oneOf(relations, relation, 'relation', line),
      ...(variant === '-' ? {} : { variant: oneOf(variants, variant, 'variant', line) }),
      expect: oneOf(expectations, expect, 'expectation', line),
      line,
    });
  });
  return rows;
}

export const matrix: readonly MatrixRow[] = parseMatrix();

export const rowName = (row: MatrixRow) => `${row.route} | ${row.caller} | ${row.relation}${row.variant ? ` | ${row.variant}` : ''} -> ${row.expect}`;
