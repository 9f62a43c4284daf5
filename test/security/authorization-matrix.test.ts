/**
 * The authorization matrix (authorization-matrix.ts) run against one world: for every line,
 * a request that is valid in every respect but the caller, and the status class the table
 * states. Refusals must be problem+json and change nothing in the table. Then property-level
 * checks: fields only the server sets are refused (400) and nothing is written.
 *
 * Organisation kind: an organisation is its id AND its kind. An employer token whose org
 * claim equals a municipality's local government code (or a municipality token whose org
 * equals an employer's corporate number) is a stranger to that organisation everywhere:
 * it may not rank its candidates, list, read or decide its proposals, or list its openings
 * in any status, just as GET/PATCH /v1/openings/{id} answer it 404. The matrix lines with
 * the relation other-organisation-same-id and the list checks below assert this.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { signDevClaims, type DevKey } from '../../infra/local/dev-key';
import { routeList, routes, type RouteId } from '../../shared/http/routes';
import { currentCountingRule } from '../../shared/rules/bundled';
import { tokenFor } from '../support/api';
import { profileBody } from '../support/fixtures';
import { computedRun } from '../support/rounds';
import { closedCycle, cycleRan, worldCycles } from '../support/match-cycle-world';
import { describeRequest, expectProblem, send, type RawRequest } from '../support/security-http';
import { describeDiff, diffSnapshots, isEmptyDiff, snapshotTable } from '../support/security-snapshot';
import {
  buildWorld,
  storedPlacement,
  freshProposal,
  freshRun,
  LEARNER,
  openingBody,
  ORG,
  PLACE,
  PROVIDER,
  strongCourse,
  type World,
} from '../support/security-world';
import { callers, matrix, rowName, type Caller, type MatrixRow, type Relation } from './authorization-matrix';

let w: World;

beforeAll(async () => {
  w = await buildWorld();
}, 120_000);

// ---------------------------------------------------------------------------------------
// From a line of the table to a request

function tokenOf(caller: Caller, relation: Relation): string | undefined {
  switch (caller) {
    case 'anonymous':
      return undefined;
    case 'learner':
      return w.tokens.learner;
    case 'provider':
      return w.tokens.provider;
    case 'employer':
      return relation === 'other-organisation-same-id' ? w.tokens.employerWithMunicipalityId : w.tokens.employer;
    case 'municipality':
      return relation === 'other-organisation-same-id' ? w.tokens.municipalityWithEmployerId : w.tokens.municipality;
    case 'center':
      return w.tokens.center;
    case 'admin':
      return w.tokens.admin;
  }
}

/** The learner a learner-data route addresses. */
function learnerFor(row: MatrixRow): string {
  if (row.variant === 'works-here') return LEARNER.worksIn31;
  if (row.variant === 'place-free') return LEARNER.placeFree;
  if (row.relation === 'other-learner' || row.relation === 'other-prefecture') return LEARNER.otherPrefecture;
  if (row.relation === 'same-prefecture-no-consent') return LEARNER.noConsent;
  // A provider's "other-organisation" learner has completions of provider B's course only.
  if (row.caller === 'provider' && row.relation === 'other-organisation') return LEARNER.otherPrefecture;
  return LEARNER.own;
}

/** The opening a route addresses, by the caller's relation to it. */
function openingFor(row: MatrixRow, status: 'open' | 'draft'): string {
  const o = w.openings;
  const pick = (which: 'employer' | 'municipality' | 'other') =>
    which === 'employer'
      ? status === 'open'
        ? o.employerOpen
        : o.employerDraft
      : which === 'municipality'
        ? status === 'open'
          ? o.municipalityOpen
          : o.municipalityDraft
        : status === 'open'
          ? o.otherOpen
          : o.otherDraft;
  switch (row.relation) {
    case 'own':
      return pick(row.caller === 'municipality' ? 'municipality' : 'employer');
    case 'other-organisation':
      return pick(row.caller === 'municipality' ? 'employer' : 'other');
    case 'other-organisation-same-id':
      return pick(row.caller === 'employer' ? 'municipality' : 'employer');
    case 'other-prefecture':
      return pick('other');
    default:
      return pick('employer');
  }
}

function proposalFor(row: MatrixRow): string {
  const p = w.proposals;
  if (row.variant === 'unpublished') {
    const u = p.unpublished;
    return row.caller === 'employer' ? u.employerOwn.proposalId : row.caller === 'municipality' ? u.municipalityOwn.proposalId : u.learnerOwn.proposalId;
  }
  const key = `${row.caller}/${row.relation}`;
  const chosen: Record<string, string> = {
    'learner/own': p.learnerOwn.proposalId,
    'learner/other-learner': p.learnerPeer.proposalId,
    'employer/own': p.employerOwn.proposalId,
    'employer/other-organisation': p.otherPrefecture.proposalId,
    'employer/other-organisation-same-id': p.municipalityOwn.proposalId,
    'municipality/own': p.municipalityOwn.proposalId,
    'municipality/other-organisation': p.employerOwn.proposalId,
    'municipality/other-organisation-same-id': p.employerOwn.proposalId,
    'center/same-prefecture': p.learnerOwn.proposalId,
    'center/other-prefecture': p.otherPrefecture.proposalId,
  };
  return chosen[key] ?? p.learnerOwn.proposalId;
}

const runFor = (row: MatrixRow) => (row.relation === 'other-prefecture' ? w.runs.published32 : w.runs.published31);

let erasers = 0;

const csv = (courseId: string) => `learner_id,course_id,completed_on\n${LEARNER.own},${courseId},2025-07-01\n`;

/**
 * A queued import (over 500 rows) of provider A or B, finished before any line uses it so
 * no worker writes while a refused line compares the table. Its rows name people the
 * provider may not report for: the job is all it leaves.
 */
const queuedImports = new Map<'own' | 'other', Promise<string>>();
function queuedImportOf(whose: 'own' | 'other'): Promise<string> {
  let importId = queuedImports.get(whose);
  if (!importId) {
    importId = queueImport(whose === 'own' ? w.tokens.provider : w.tokens.otherProvider, whose === 'own' ? w.courses.own : w.courses.other);
    queuedImports.set(whose, importId);
  }
  return importId;
}

async function queueImport(token: string, courseId: string): Promise<string> {
  const rows = Array.from({ length: 501 }, (_, i) => `sec-nobody-${i},${courseId},2025-07-01`);
  const body = `learner_id,course_id,completed_on\n${rows.join('\n')}\n`;
  const queued = await send({ method: 'POST', url: '/v1/completions/import', token, headers: { 'content-type': 'text/csv' }, body });
  expect(queued.status, queued.text).toBe(202);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await send({ method: 'GET', url: `/v1/imports/${queued.json.importId}`, token });
    if (job.json?.finished) return queued.json.importId as string;
    if (Date.now() > deadline) throw new Error(`import ${queued.json.importId} not finished in 30 s: ${job.text.slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Another issuer of Open Badges, registered by admin (its achievement stands for provider
 * A's course), one credential it issued, and its holder: a throwaway learner whose token
 * carries the verified e-mail address the credential names. Made once.
 */
let issuerWorld: Promise<{ registration: Record<string, unknown>; credential: string; holderToken: string }> | undefined;
function foreignIssuer() {
  issuerWorld ??= (async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { d: _private, ...publicJwk } = privateKey.export({ format: 'jwk' });
    const issuerId = 'https://badges.example.jp/matrix';
    const achievementId = 'https://badges.example.jp/matrix/achievement';
    const registration = { issuerId, name: 'マトリクス発行機関', keys: [publicJwk], achievements: [{ achievementId, courseId: w.courses.own }] };
    const saved = await send({ token: w.tokens.admin, method: 'POST', url: '/v1/trusted-issuers', json: registration });
    expect(saved.status, saved.text).toBeLessThan(300);
    const payload = {
      id: 'urn:uuid:6f0c9a53-5b0e-4a51-8d4b-0a0a0a0a0001',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: issuerId },
      validFrom: '2025-05-01T00:00:00+09:00',
      credentialSubject: {
        identifier: [{ identityType: 'emailAddress', hashed: false, identityHash: 'matrix@example.jp' }],
        achievement: { id: achievementId },
      },
    };
    const input = `${Buffer.from(JSON.stringify({ alg: 'ES256' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const credential = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const key = JSON.parse(process.env.KANRYU_TEST_SIGNING_KEY!) as DevKey;
    const holderToken = await signDevClaims(key, 'learner', { sub: 'sec-badge-holder', token_use: 'id', email: 'matrix@example.jp', email_verified: true });
    const profile = profileBody({ residence: { municipality: PLACE.tottoriCity } });
    expect((await send({ token: holderToken, method: 'PUT', url: '/v1/learners/me', json: profile })).status).toBe(201);
    return { registration, credential, holderToken };
  })();
  return issuerWorld;
}

/** Provider A's xAPI client credentials as an Authorization header, made once. */
let lrsClient: Promise<string> | undefined;
function lrsClientOfProviderA() {
  lrsClient ??= (async () => {
    const issued = await send({ token: w.tokens.provider, method: 'POST', url: '/v1/xapi/credentials' });
    expect(issued.status, issued.text).toBe(201);
    return `Basic ${Buffer.from(`${issued.json.key}:${issued.json.secret}`).toString('base64')}`;
  })();
  return lrsClient;
}

/**
 * A learner holding an achievement, made once: a throwaway learner (never L1) with a
 * verified completion of a course of provider A that admin accredited for the purpose.
 */
let holder: Promise<{ token: string; achievement: string }> | undefined;
function credentialHolder() {
  holder ??= (async () => {
    const course = await send({ token: w.tokens.provider, method: 'POST', url: '/v1/courses', json: strongCourse('マトリクス 認定講座') });
    expect(course.status, course.text).toBe(201);
    const courseId = course.json.courseId as string;
    const asked = await send({
      token: w.tokens.provider,
      method: 'POST',
      url: `/v1/courses/${courseId}/accreditation-requests`,
      json: { scheme: 'ipa-exam', validFrom: '2024-04-01' },
    });
    expect(asked.status, asked.text).toBe(201);
    const decided = await send({
      token: w.tokens.admin,
      method: 'POST',
      url: `/v1/accreditation-requests/${asked.json.requestId}/decision`,
      json: { decision: 'approve', reason: 'security matrix: a credential holder' },
    });
    expect(decided.status, decided.text).toBe(200);
    const token = await tokenFor({ sub: 'sec-credential-holder', role: 'learner' });
    const profile = profileBody({ residence: { municipality: PLACE.tottoriCity } });
    expect((await send({ token, method: 'PUT', url: '/v1/learners/me', json: profile })).status).toBe(201);
    expect((await send({ token, method: 'PUT', url: `/v1/learners/me/providers/${PROVIDER.own}` })).status).toBe(201);
    const reported = await send({
      token: w.tokens.provider,
      method: 'POST',
      url: '/v1/completions',
      json: { learnerId: 'sec-credential-holder', courseId, completedOn: '2025-05-01' },
    });
    expect(reported.status, reported.text).toBe(201);
    return { token, achievement: `course:${courseId}` };
  })();
  return holder;
}

/** A valid request for the line (creating fresh objects first where the request consumes one). */
async function requestFor(row: MatrixRow): Promise<RawRequest> {
  const token = tokenOf(row.caller, row.relation);
  const base = { token } as const;
  const get = (url: string): RawRequest => ({ ...base, method: 'GET', url });
  const typeId = w.catalog12.promotion.types[0].id as string;
  switch (row.route as RouteId) {
    case 'health':
      return get('/health');
    case 'openapi':
      return get('/openapi.json');
    case 'me':
      return get('/v1/me');
    case 'listCatalog':
      return get('/v1/catalog');
    case 'getCatalog':
      return get('/v1/catalog/1.2');
    case 'getCatalogRole':
      return get('/v1/catalog/1.2/roles/data-engineer');
    case 'installCatalog':
      return {
        ...base,
        method: 'POST',
        url: '/v1/catalog/versions',
        json: { catalog: { ...w.catalog12, version: `sec-${row.caller}`, label: 'security matrix copy' } },
      };
    case 'putMyProfile':
      return {
        ...base,
        method: 'PUT',
        url: '/v1/learners/me',
        json: profileBody({ residence: { municipality: PLACE.tottoriCity }, workPrefectures: ['31'], workStyles: ['full-time'] }),
      };
    case 'getMyProfile':
      return get('/v1/learners/me');
    case 'exportMyData':
      return get('/v1/learners/me/export');
    case 'eraseMyData': {
      if (row.caller !== 'learner') return { ...base, method: 'DELETE', url: '/v1/learners/me' };
      // Erasure is for real: the learner line erases a throwaway learner, never L1.
      const sub = `sec-eraser-${++erasers}`;
      const eraser = await tokenFor({ sub, role: 'learner' });
      const created = await send({
        method: 'PUT',
        url: '/v1/learners/me',
        token: eraser,
        json: profileBody({ residence: { municipality: PLACE.tottoriCity } }),
      });
      expect(created.status, created.text).toBe(201);
      return { token: eraser, method: 'DELETE', url: '/v1/learners/me' };
    }
    case 'linkProvider':
      // L1 links provider A again (the world linked it): an idempotent 2xx that changes nothing else.
      return { ...base, method: 'PUT', url: `/v1/learners/me/providers/${PROVIDER.own}` };
    case 'unlinkProvider': {
      // The learner line revokes a link made for it, never L1's link to provider A.
      if (row.caller === 'learner') expect((await send({ ...base, method: 'PUT', url: '/v1/learners/me/providers/sec-prov-revoked' })).status).toBe(201);
      return { ...base, method: 'DELETE', url: `/v1/learners/me/providers/${row.caller === 'learner' ? 'sec-prov-revoked' : PROVIDER.own}` };
    }
    case 'getLearner':
      return get(`/v1/learners/${learnerFor(row)}`);
    case 'createCourse':
      return { ...base, method: 'POST', url: '/v1/courses', json: strongCourse('マトリクスで登録') };
    case 'getCourse':
      return get(`/v1/courses/${row.relation === 'other-organisation' ? w.courses.other : w.courses.own}`);
    case 'listCourses':
      return get(`/v1/courses?provider=${PROVIDER.own}`);
    case 'patchCourse':
      // The title it already has: a valid edit that changes no mapping.
      return { ...base, method: 'PATCH', url: `/v1/courses/${row.relation === 'other-organisation' ? w.courses.other : w.courses.own}`, json: { hours: 10 } };
    case 'requestAccreditation':
      return {
        ...base,
        method: 'POST',
        url: `/v1/courses/${row.relation === 'other-organisation' ? w.courses.other : w.courses.own}/accreditation-requests`,
        json: { scheme: 'ipa-exam', validFrom: '2024-04-01' },
      };
    case 'listAccreditationRequests':
      return get('/v1/accreditation-requests?status=pending');
    case 'decideAccreditation': {
      const json = { decision: 'reject', reason: 'security matrix' };
      if (row.caller !== 'admin') return { ...base, method: 'POST', url: '/v1/accreditation-requests/acr_00000000000000000000/decision', json };
      // A decision consumes its request: admin's line decides a fresh one.
      const asked = await send({
        method: 'POST',
        url: `/v1/courses/${w.courses.own}/accreditation-requests`,
        token: w.tokens.provider,
        json: { scheme: 'ipa-exam', validFrom: '2024-04-01' },
      });
      expect(asked.status, asked.text).toBe(201);
      return { ...base, method: 'POST', url: `/v1/accreditation-requests/${asked.json.requestId}/decision`, json };
    }
    case 'reportCompletion': {
      if (row.caller === 'learner') {
        const learnerId = row.relation === 'other-learner' ? { learnerId: LEARNER.otherPrefecture } : {};
        return {
          ...base,
          method: 'POST',
          url: '/v1/completions',
          json: { ...learnerId, courseId: w.courses.own, completedOn: '2025-06-01', evidence: { certificateNumber: 'SEC-1' } },
        };
      }
      const courseId = row.relation === 'other-organisation' ? w.courses.other : w.courses.own;
      return { ...base, method: 'POST', url: '/v1/completions', json: { learnerId: LEARNER.own, courseId, completedOn: '2025-06-02' } };
    }
    case 'importCompletions':
      return {
        ...base,
        method: 'POST',
        url: '/v1/completions/import',
        headers: { 'content-type': 'text/csv' },
        body: csv(row.variant === 'foreign-course' ? w.courses.other : w.courses.own),
      };
    case 'getImport':
      // other-organisation: provider B's job, read by provider A.
      return get(`/v1/imports/${await queuedImportOf(row.relation === 'other-organisation' ? 'other' : 'own')}`);
    case 'listCompletions':
      return get(`/v1/learners/${learnerFor(row)}/completions`);
    case 'getSkills':
      return get(`/v1/learners/${learnerFor(row)}/skills`);
    case 'listCountingRules':
      return get('/v1/counting-rules');
    case 'installCountingRule':
      // The shipped current rule again: installed already, so nothing changes.
      return { ...base, method: 'POST', url: '/v1/counting-rules', json: { rule: currentCountingRule } };
    case 'getProgress': {
      if (row.variant !== 'fine-cells') return get('/v1/progress');
      const prefecture = row.relation === 'other-prefecture' ? '32' : '31';
      return get(`/v1/progress?prefecture=${prefecture}&type=${typeId}`);
    }
    case 'getProgressSeries':
      return get('/v1/progress/series?by=month');
    case 'listProgressRevisions':
      return get('/v1/progress/revisions');
    case 'putMyOrganisation': {
      const bodies = {
        employerOwn: { kind: 'employer', name: '株式会社因幡データ', corporateNumber: ORG.employerA, headOffice: PLACE.yonago },
        employerOther: { kind: 'employer', name: '出雲テック株式会社', corporateNumber: ORG.employerB, headOffice: PLACE.matsue },
        municipalityOwn: { kind: 'municipality', name: '鳥取市', localGovernmentCode: ORG.municipality },
        municipalityOther: { kind: 'municipality', name: '松江市', localGovernmentCode: PLACE.matsue },
      };
      const other = row.relation === 'other-organisation';
      const json =
        row.caller === 'municipality' ? (other ? bodies.municipalityOther : bodies.municipalityOwn) : other ? bodies.employerOther : bodies.employerOwn;
      return { ...base, method: 'PUT', url: '/v1/organisations/me', json };
    }
    case 'getMyOrganisation':
      return get('/v1/organisations/me');
    case 'createOpening':
      return { ...base, method: 'POST', url: '/v1/openings', json: openingBody({ title: 'マトリクスで作成' }) };
    case 'listOpenings': {
      if (row.variant === 'open') return get('/v1/openings?prefecture=31');
      if (row.variant === 'national') return get('/v1/openings?remote=false');
      if (row.relation === 'own') return get('/v1/openings?status=draft');
      return get(`/v1/openings?prefecture=${row.relation === 'other-prefecture' ? '32' : '31'}&status=draft`);
    }
    case 'listMyOpenings':
      return get('/v1/organisations/me/openings?status=draft');
    case 'getOpening':
      return get(`/v1/openings/${openingFor(row, row.variant === 'open' ? 'open' : 'draft')}`);
    case 'patchOpening':
      // headcount is already 1: a valid edit that changes nothing.
      return { ...base, method: 'PATCH', url: `/v1/openings/${openingFor(row, 'draft')}`, json: { headcount: 1 } };
    case 'rankCandidates':
      return get(`/v1/openings/${openingFor(row, 'open')}/candidates`);
    case 'createMatchRun':
      return { ...base, method: 'POST', url: '/v1/match-runs', json: { prefecture: row.relation === 'other-prefecture' ? '32' : '31', dryRun: true } };
    case 'startNationalRound':
      return { ...base, method: 'POST', url: '/v1/national-match-runs', json: { dryRun: true } };
    case 'getNationalRound':
      return get(`/v1/national-match-runs/${w.runs.national}`);
    case 'startRebuild':
      return { ...base, method: 'POST', url: '/v1/rebuilds' };
    case 'getRebuild':
      return get(`/v1/rebuilds/${w.rebuildId}`);
    case 'getMatchRun':
      return get(`/v1/match-runs/${runFor(row)}`);
    case 'listMatchRunProposals':
      return get(`/v1/match-runs/${runFor(row)}/proposals`);
    case 'publishMatchRun': {
      // Publishing consumes the run: a line expected to succeed gets a fresh one.
      const runId =
        row.expect === '2xx' ? (await freshRun(w, '31', false)).runId : row.relation === 'other-prefecture' ? w.runs.unpublished32 : w.runs.unpublished31;
      return { ...base, method: 'POST', url: `/v1/match-runs/${runId}/publish` };
    }
    case 'createMatchCycle': {
      const window = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() };
      const other = row.relation === 'other-prefecture';
      return {
        ...base,
        method: 'POST',
        url: '/v1/match-cycles',
        json: { prefecture: other ? '32' : '31', openings: [other ? w.openings.otherOpen : w.openings.employerOpen], window },
      };
    }
    case 'listMatchCycles':
      return get(`/v1/match-cycles${row.caller === 'center' ? `?prefecture=${row.relation === 'other-prefecture' ? '32' : '31'}` : ''}`);
    case 'getMatchCycle':
    case 'listMatchCycleOpenings': {
      const cycles = await worldCycles(w);
      const cycleId = row.relation === 'other-prefecture' ? cycles.c32 : cycles.c31;
      return get(`/v1/match-cycles/${cycleId}${row.route === 'listMatchCycleOpenings' ? '/openings' : ''}`);
    }
    case 'putMyRankList':
      return { ...base, method: 'PUT', url: `/v1/match-cycles/${(await worldCycles(w)).c31}/rank-lists/me`, json: { openings: [w.openings.employerOpen] } };
    case 'putOpeningRankList': {
      const cycles = await worldCycles(w);
      // Employer B's opening is in C32; the others in C31.
      const openingId = openingFor(row, 'open');
      const cycleId = openingId === w.openings.otherOpen ? cycles.c32 : cycles.c31;
      return { ...base, method: 'PUT', url: `/v1/match-cycles/${cycleId}/openings/${openingId}/rank-list`, json: { candidates: [] } };
    }
    case 'runMatchCycle': {
      // Running consumes the cycle: a line expected to succeed gets a fresh one whose window has closed.
      const cycleId =
        row.expect === '2xx' ? await closedCycle(w) : row.relation === 'other-prefecture' ? (await worldCycles(w)).c32 : (await worldCycles(w)).c31;
      return { ...base, method: 'POST', url: `/v1/match-cycles/${cycleId}/run` };
    }
    case 'listMyProposals':
      return get('/v1/proposals');
    case 'getProposal':
      return get(`/v1/proposals/${proposalFor(row)}`);
    case 'decideProposal': {
      // Each decision expected to succeed, and each by an organisation of the other kind
      // with the same id (which must be refused), acts on a fresh proposal in the state
      // where that party's turn has come: the refusal is about ownership, not state.
      const byOrg = (org: string) => (p: { ownerOrg: string }) => p.ownerOrg === org;
      let proposalId: string;
      switch (row.variant === 'unpublished' ? 'unpublished' : `${row.caller}/${row.relation}`) {
        case 'unpublished':
          proposalId = proposalFor(row);
          break;
        case 'learner/own':
          proposalId = (await freshProposal(w, (p) => p.learnerId === LEARNER.own, 'proposed')).proposalId;
          break;
        case 'learner/other-learner':
          proposalId = w.proposals.learnerPeer.proposalId;
          break;
        case 'employer/own':
        case 'municipality/other-organisation-same-id':
          proposalId = (await freshProposal(w, byOrg(ORG.employerA), 'candidate-accepted')).proposalId;
          break;
        case 'municipality/own':
        case 'employer/other-organisation-same-id':
          proposalId = (await freshProposal(w, byOrg(ORG.municipality), 'candidate-accepted')).proposalId;
          break;
        case 'employer/other-organisation':
        case 'municipality/other-organisation':
          proposalId = w.proposals.otherPrefecture.proposalId;
          break;
        default:
          proposalId = w.proposals.learnerOwn.proposalId;
      }
      return { ...base, method: 'POST', url: `/v1/proposals/${proposalId}/decision`, json: { decision: 'decline' } };
    }
    case 'endPlacement': {
      const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
      let proposalId: string;
      if (row.expect !== '2xx')
        proposalId =
          row.relation === 'other-organisation' || row.relation === 'other-prefecture'
            ? w.proposals.otherPrefecture.proposalId
            : w.proposals.employerOwn.proposalId;
      else proposalId = await storedPlacement(row.caller === 'municipality' ? w.proposals.municipalityOwn : w.proposals.employerOwn);
      return { ...base, method: 'POST', url: `/v1/proposals/${proposalId}/end`, json: { endedOn: today } };
    }
    case 'getPlacementsReport':
      return get(row.relation === 'same-prefecture' ? '/v1/progress/placements?prefecture=31' : '/v1/progress/placements');
    case 'issueMyCredential': {
      const { token: holderToken, achievement } = await credentialHolder();
      const token = row.caller === 'learner' ? holderToken : base.token;
      return { token, method: 'POST', url: '/v1/learners/me/credentials', json: { achievement } };
    }
    case 'listMyCredentials':
      return get('/v1/learners/me/credentials');
    case 'getCredentialKeys':
      return get('/.well-known/jwks.json');
    case 'getCredentialIssuer':
      return get('/v1/credentials/issuer');
    case 'getCredentialStatusList': {
      // A list exists once a credential was issued (idempotent: the holder's one credential).
      const { token: holderToken, achievement } = await credentialHolder();
      const issued = await send({ token: holderToken, method: 'POST', url: '/v1/learners/me/credentials', json: { achievement } });
      expect(issued.status, issued.text).toBeLessThan(300);
      return get(`/v1/credentials/status/${new URL(issued.json.statusListCredential).pathname.split('/').pop()}`);
    }
    case 'verifyCredential':
      return { ...base, method: 'POST', url: '/v1/credentials/verify', json: { credential: 'e30.e30.c2ln' } };
    case 'createXapiClient':
      return { ...base, method: 'POST', url: '/v1/xapi/credentials' };
    case 'mapXapiAccount':
      return { ...base, method: 'POST', url: '/v1/xapi/accounts', json: { accountName: 'sec-lms-own', learnerId: LEARNER.own } };
    case 'registerXapiActivity':
      return {
        ...base,
        method: 'PUT',
        url: `/v1/courses/${row.relation === 'other-organisation' ? w.courses.other : w.courses.own}/xapi-activities`,
        json: { activityId: 'https://lms.example.jp/security-matrix' },
      };
    case 'getXapiAbout':
      return get('/xapi/about');
    case 'saveTrustedIssuer':
      return { ...base, method: 'POST', url: '/v1/trusted-issuers', json: (await foreignIssuer()).registration };
    case 'listTrustedIssuers':
      return get('/v1/trusted-issuers');
    case 'receiveCredential': {
      const issuer = await foreignIssuer();
      const token = row.caller === 'learner' ? issuer.holderToken : base.token;
      return { token, method: 'POST', url: '/v1/learners/me/credentials/received', json: { credential: issuer.credential } };
    }
    case 'postXapiStatements':
    case 'putXapiStatement':
    case 'getXapiStatements': {
      // Provider A's learning system with its key and secret; everyone else sends their bearer token (refused here).
      const id = randomUUID();
      const statement = {
        actor: { account: { homePage: 'https://lms.example.jp', name: 'someone' } },
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'https://lms.example.jp/a' },
      };
      const headers: Record<string, string> = { 'x-experience-api-version': '1.0.3' };
      if (row.caller === 'provider') headers.authorization = await lrsClientOfProviderA();
      const auth = row.caller === 'provider' ? { headers } : { ...base, headers };
      if (row.route === 'getXapiStatements') return { ...auth, method: 'GET', url: '/xapi/statements?limit=5' };
      if (row.route === 'putXapiStatement') return { ...auth, method: 'PUT', url: `/xapi/statements?statementId=${id}`, json: statement };
      return { ...auth, method: 'POST', url: '/xapi/statements', json: [statement] };
    }
    default:
      throw new Error(`No request builder for route ${row.route}: add one to requestFor`);
  }
}

const statusClass = (status: number) => (status >= 200 && status < 300 ? '2xx' : String(status));

// ---------------------------------------------------------------------------------------

describe('the table', () => {
  it('has lines for exactly the routes of the route table', () => {
    const inTable = new Set(matrix.map((row) => row.route));
    const inRoutes = new Set(routeList.map((route) => route.id));
    expect(
      [...inRoutes].filter((id) => !inTable.has(id as RouteId)),
      'routes without lines in authorization-matrix.ts',
    ).toEqual([]);
    expect(
      [...inTable].filter((id) => !inRoutes.has(id)),
      'lines for routes that do not exist',
    ).toEqual([]);
    expect(inTable).toEqual(inRoutes);
  });

  it('has every caller on every route, and no line twice', () => {
    const missing = routeList.flatMap((route) =>
      callers.filter((caller) => !matrix.some((row) => row.route === route.id && row.caller === caller)).map((caller) => `${route.id} x ${caller}`),
    );
    expect(missing).toEqual([]);
    const keys = matrix.map((row) => `${row.route}|${row.caller}|${row.relation}|${row.variant ?? ''}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });
});

describe('authorization matrix', () => {
  for (const row of matrix) {
    it(rowName(row), async () => {
      const request = await requestFor(row);
      const refused = row.expect !== '2xx';
      const before = refused ? await snapshotTable() : undefined;
      const res = await send(request);
      const context = `${rowName(row)} (TABLE line ${row.line})\n${describeRequest(request)}\n-> ${res.status} ${res.text.slice(0, 500)}`;
      expect(statusClass(res.status), context).toBe(row.expect);
      // A round requested is computed by its job after the answer: let it finish before the next row snapshots the table.
      if (row.route === 'createMatchRun' && res.status === 202) await computedRun(request.token!, res.headers.location!);
      if (row.route === 'runMatchCycle' && res.status === 202) await cycleRan(request.token!, res.headers.location!);
      // HEAD on a GET route is decided exactly as the GET, and answers no body (a refused one writes nothing either: below).
      if (request.method === 'GET') {
        const head = await send({ ...request, method: 'HEAD' });
        expect(statusClass(head.status), `HEAD ${context}`).toBe(row.expect);
        expect(head.text, `HEAD ${context}`).toBe('');
      }
      if (!refused) return;
      expectProblem(res, context);
      if (res.status === 401)
        expect(res.headers['www-authenticate'], context).toBe(routes[row.route].access.kind === 'lrs-client' ? 'Basic realm="kanryu xAPI"' : 'Bearer');
      const diff = diffSnapshots(before!, await snapshotTable());
      expect(isEmptyDiff(diff), `${context}\nwrote on a refused request: ${describeDiff(diff)}`).toBe(true);
    });
  }

  it("answers a CSV row naming another provider's course 200, with the row refused and nothing stored", async () => {
    const before = await snapshotTable();
    const res = await send({
      method: 'POST',
      url: '/v1/completions/import',
      token: w.tokens.provider,
      headers: { 'content-type': 'text/csv' },
      body: csv(w.courses.other),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ rows: 1, stored: 0, verified: 0, unchanged: 0 });
    expect(res.json.rejected).toEqual([{ row: 2, reason: expect.stringContaining('another provider') }]);
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
  });

  it('shows a provider only the completions of its own courses', async () => {
    const other = await send({ method: 'GET', url: `/v1/learners/${LEARNER.otherPrefecture}/completions`, token: w.tokens.provider });
    expect(other.json.completions).toEqual([]);
    const own = await send({ method: 'GET', url: `/v1/learners/${LEARNER.own}/completions`, token: w.tokens.provider });
    expect(own.json.completions.length).toBeGreaterThan(0);
    expect(own.json.completions.every((c: { providerId: string }) => c.providerId === PROVIDER.own)).toBe(true);
  });

  it('hides the candidate from the organisation (anonymised ranking and proposal), but not from the center', async () => {
    const ranked = await send({ method: 'GET', url: `/v1/openings/${w.openings.employerOpen}/candidates`, token: w.tokens.employer });
    expect(ranked.json.candidates.length).toBeGreaterThan(0);
    expect(ranked.text).not.toContain(LEARNER.own);
    expect(ranked.text).not.toContain(LEARNER.peer);
    const proposal = await send({ method: 'GET', url: `/v1/proposals/${w.proposals.employerOwn.proposalId}`, token: w.tokens.employer });
    expect(proposal.json.learnerId).toBeUndefined();
    expect(proposal.json.contact).toBeUndefined();
    const center = await send({ method: 'GET', url: `/v1/openings/${w.openings.employerOpen}/candidates`, token: w.tokens.center });
    expect(center.text).toContain(LEARNER.own);
  });

  it('refuses self-reported evidence in the ranking to the owning organisation (403), writing nothing', async () => {
    const before = await snapshotTable();
    const res = await send({ method: 'GET', url: `/v1/openings/${w.openings.employerOpen}/candidates?includeSelfReported=true`, token: w.tokens.employer });
    expect(res.status).toBe(403);
    expectProblem(res, 'includeSelfReported by the owner');
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
  });
});

describe('proposals before publication', () => {
  it("are in no one's list: not the candidate's, not the organisation's", async () => {
    const u = w.proposals.unpublished;
    for (const [token, id] of [
      [w.tokens.learner, u.learnerOwn.proposalId],
      [w.tokens.employer, u.employerOwn.proposalId],
      [w.tokens.municipality, u.municipalityOwn.proposalId],
    ] as const) {
      const res = await send({ method: 'GET', url: '/v1/proposals?limit=100', token });
      expect(res.status).toBe(200);
      expect(res.json.proposals.map((p: { proposalId: string }) => p.proposalId)).not.toContain(id);
    }
  });
});

describe('organisation kind in lists: an org claim of the other kind is no identity at all', () => {
  it("refuses an employer account whose org claim is 鳥取市's code 312011 (401, naming the claim)", async () => {
    const res = await send({ method: 'GET', url: '/v1/organisations/me/openings?status=draft&limit=100', token: w.tokens.employerWithMunicipalityId });
    expect(res.status).toBe(401);
    expect(res.json.claim).toBe('custom:org');
  });

  it("refuses a municipality account whose org claim is 因幡データ's corporate number (401, naming the claim)", async () => {
    const res = await send({ method: 'GET', url: '/v1/proposals?limit=100', token: w.tokens.municipalityWithEmployerId });
    expect(res.status).toBe(401);
    expect(res.json.claim).toBe('custom:org');
  });
});

// ---------------------------------------------------------------------------------------
// A caller the route refuses learns nothing about the input: 401/403 before validation

describe('refusal comes before validation', () => {
  const refusedAtTheRoute = matrix.filter((row) => {
    const route = routeList.find((r) => r.id === row.route)!;
    if (route.access.kind !== 'roles' || row.relation !== 'n/a') return false;
    return row.caller === 'anonymous' ? row.expect === '401' : row.expect === '403' && !(route.access.roles as readonly string[]).includes(row.caller);
  });

  it('applies to some line of every route that has roles', () => {
    const withRoles = routeList.filter((r) => r.access.kind === 'roles').map((r) => r.id);
    expect([...new Set(refusedAtTheRoute.map((row) => row.route))].sort()).toEqual(withRoles.sort());
  });

  for (const row of refusedAtTheRoute) {
    it(`${row.route} | ${row.caller}: ${row.expect} even with an invalid path, query and body`, async () => {
      const route = routeList.find((r) => r.id === row.route)!;
      const url = `${route.path.replace(/\{\w+\}/g, 'NOT!VALID')}?unknown=1&limit=100000`;
      const token = tokenOf(row.caller, row.relation);
      const before = await snapshotTable();
      const res = await send({ method: route.method, url, ...(token ? { token } : {}), headers: { 'content-type': 'application/json' }, body: '{"broken": ' });
      const context = `${rowName(row)} with invalid input -> ${res.status} ${res.text.slice(0, 300)}`;
      expect(String(res.status), context).toBe(row.expect);
      expectProblem(res, context);
      const diff = diffSnapshots(before, await snapshotTable());
      expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
    });
  }
});

// ---------------------------------------------------------------------------------------
// Tokens that are not valid: refused everywhere a token means something

const publicRoutes = new Set<string>([
  'health',
  'openapi',
  'listCatalog',
  'getCatalog',
  'getCatalogRole',
  'getCourse',
  'listCourses',
  'listCountingRules',
  'getCredentialKeys',
  'getCredentialIssuer',
  'getCredentialStatusList',
  'verifyCredential',
  'getXapiAbout',
]);

describe('invalid tokens', () => {
  let badTokens: Record<string, string>;
  beforeAll(async () => {
    const { createDevKey, signDevToken } = await import('../../infra/local/dev-key');
    const admin = w.tokens.admin;
    const [header, payload] = admin.split('.');
    badTokens = {
      'signed by another key': await signDevToken(await createDevKey(), { sub: 'sec-admin', role: 'admin' }),
      expired: await tokenFor({ sub: 'sec-admin', role: 'admin', expiresIn: -60 }),
      'signature stripped': `${header}.${payload}.`,
      'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`,
      'unknown role': await tokenFor({ sub: 'x', role: 'superuser' as never }),
      garbage: 'not-a-token',
    };
  });

  for (const route of routeList) {
    it(`${route.id}: ${publicRoutes.has(route.id) ? 'ignores' : 'refuses (401)'} invalid tokens`, async () => {
      const row =
        matrix.find((r) => r.route === route.id && r.expect === '2xx' && r.caller !== 'anonymous') ??
        matrix.find((r) => r.route === route.id && r.expect === '2xx')!;
      const request = await requestFor(row);
      for (const [what, token] of Object.entries(badTokens)) {
        const before = publicRoutes.has(route.id) ? undefined : await snapshotTable();
        const res = await send({ ...request, token });
        const context = `${route.id} with a token ${what}\n${describeRequest(request)}\n-> ${res.status} ${res.text.slice(0, 300)}`;
        if (publicRoutes.has(route.id)) {
          expect(statusClass(res.status), context).toBe('2xx');
          continue;
        }
        expect(res.status, context).toBe(401);
        expectProblem(res, context);
        const diff = diffSnapshots(before!, await snapshotTable());
        expect(isEmptyDiff(diff), `${context}\n${describeDiff(diff)}`).toBe(true);
      }
      const malformed = await send({ ...request, token: undefined, headers: { ...request.headers, authorization: 'Basic c2VjOnNlYw==' } });
      expect(malformed.status, malformed.text).toBe(publicRoutes.has(route.id) ? 200 : 401);
    });
  }
});

// ---------------------------------------------------------------------------------------
// Property-level authorization: fields only the server sets

describe('fields a caller may not set', () => {
  async function refusedWithoutWrites(cases: RawRequest[], readBack: () => Promise<unknown>) {
    const before = await snapshotTable();
    const shownBefore = await readBack();
    for (const request of cases) {
      const res = await send(request);
      const context = describeRequest(request);
      expect(res.status, `${context}\n-> ${res.status} ${res.text.slice(0, 300)}`).toBe(400);
      expectProblem(res, context);
      expect(res.json.type).toBe('urn:kanryu:problem:validation-failed');
    }
    expect(await readBack()).toEqual(shownBefore);
    const diff = diffSnapshots(before, await snapshotTable());
    expect(isEmptyDiff(diff), describeDiff(diff)).toBe(true);
  }

  it('POST /v1/openings: ownerOrg, status, organisation, openingId, version, timestamps', async () => {
    const post = (extra: Record<string, unknown>): RawRequest => ({
      method: 'POST',
      url: '/v1/openings',
      token: w.tokens.employer,
      json: { ...openingBody({ title: '権限外フィールド' }), ...extra },
    });
    await refusedWithoutWrites(
      [
        post({ ownerOrg: ORG.employerB }),
        post({ ownerOrg: ORG.employerA }),
        post({ status: 'open' }),
        post({ status: 'filled' }),
        post({ organisation: { id: ORG.employerB, kind: 'employer', name: '出雲テック株式会社' } }),
        post({ openingId: 'opn_00000000000000000000' }),
        post({ version: 99 }),
        post({ createdAt: '2020-01-01T00:00:00Z', updatedAt: '2020-01-01T00:00:00Z' }),
        post({ workplace: { municipality: PLACE.tottoriCity, prefecture: '13' } }),
      ],
      async () =>
        (await send({ method: 'GET', url: '/v1/openings?limit=100', token: w.tokens.employer })).json.openings
          .map((o: { openingId: string; title: string }) => `${o.openingId} ${o.title}`)
          .sort(),
    );
  });

  it('PATCH /v1/openings/{id}: status filled or draft, ownerOrg, organisation, catalogVersion, version', async () => {
    const patch = (json: Record<string, unknown>): RawRequest => ({
      method: 'PATCH',
      url: `/v1/openings/${w.openings.employerDraft}`,
      token: w.tokens.employer,
      json,
    });
    await refusedWithoutWrites(
      [
        patch({ status: 'filled' }),
        patch({ status: 'draft' }),
        patch({ ownerOrg: ORG.employerB }),
        patch({ organisation: { id: ORG.employerB, kind: 'employer', name: 'x' } }),
        patch({ catalogVersion: '1.2' }),
        patch({ version: 1 }),
        patch({ title: 'ok', createdAt: '2020-01-01T00:00:00Z' }),
      ],
      async () => (await send({ method: 'GET', url: `/v1/openings/${w.openings.employerDraft}`, token: w.tokens.employer })).json,
    );
  });

  it('PUT /v1/learners/me: learnerId, consent and its history, timestamps', async () => {
    const valid = profileBody({ residence: { municipality: PLACE.tottoriCity }, workPrefectures: ['31'], workStyles: ['full-time'] });
    const put = (extra: Record<string, unknown>): RawRequest => ({
      method: 'PUT',
      url: '/v1/learners/me',
      token: w.tokens.learner,
      json: { ...valid, ...extra },
    });
    await refusedWithoutWrites(
      [
        put({ learnerId: LEARNER.otherPrefecture }),
        put({ consentHistory: [{ matching: true, at: '2020-01-01T00:00:00Z' }] }),
        put({ consentHistory: [] }),
        put({ consent: { matching: true, changedAt: '2020-01-01T00:00:00Z' } }),
        put({ createdAt: '2020-01-01T00:00:00Z' }),
        put({ updatedAt: '2020-01-01T00:00:00Z' }),
        put({ residence: { municipality: PLACE.tottoriCity, prefecture: '31', learnerId: LEARNER.peer } }),
        put({ role: 'admin' }),
      ],
      async () => (await send({ method: 'GET', url: '/v1/learners/me', token: w.tokens.learner })).json,
    );
  });

  it('POST /v1/completions: status, verified, verifiedAt, providerId, reportedBy, fiscalYear, completionId', async () => {
    const self = { courseId: w.courses.own, completedOn: '2025-08-01', evidence: { certificateNumber: 'SEC-P' } };
    const byLearner = (extra: Record<string, unknown>): RawRequest => ({
      method: 'POST',
      url: '/v1/completions',
      token: w.tokens.learner,
      json: { ...self, ...extra },
    });
    const byProvider = (extra: Record<string, unknown>): RawRequest => ({
      method: 'POST',
      url: '/v1/completions',
      token: w.tokens.provider,
      json: { learnerId: LEARNER.own, courseId: w.courses.own, completedOn: '2025-08-02', ...extra },
    });
    await refusedWithoutWrites(
      [
        byLearner({ status: 'verified' }),
        byLearner({ verified: true }),
        byLearner({ verifiedAt: '2025-08-01T00:00:00Z' }),
        byLearner({ providerId: PROVIDER.own }),
        byLearner({ reportedBy: 'provider' }),
        byLearner({ fiscalYear: 2024 }),
        byLearner({ completionId: `2025-08-01.${w.courses.own}` }),
        byLearner({ evidence: { certificateNumber: 'SEC-P', verified: true } }),
        byProvider({ status: 'self-reported' }),
        byProvider({ providerId: PROVIDER.other }),
        byProvider({ prefecture: '13' }),
      ],
      async () => (await send({ method: 'GET', url: `/v1/learners/${LEARNER.own}/completions?limit=100`, token: w.tokens.learner })).json,
    );
  });

  it('POST /v1/courses: providerId, courseId, createdAt', async () => {
    const post = (extra: Record<string, unknown>): RawRequest => ({
      method: 'POST',
      url: '/v1/courses',
      token: w.tokens.provider,
      json: { ...strongCourse('権限外フィールド'), ...extra },
    });
    await refusedWithoutWrites(
      [
        post({ providerId: PROVIDER.other }),
        post({ providerId: PROVIDER.own }),
        post({ courseId: 'crs_00000000000000000000' }),
        post({ createdAt: '2020-01-01T00:00:00Z' }),
      ],
      async () => [
        (await send({ method: 'GET', url: `/v1/courses?provider=${PROVIDER.own}&limit=100` })).json,
        (await send({ method: 'GET', url: `/v1/courses?provider=${PROVIDER.other}&limit=100` })).json,
      ],
    );
  });

  it('PUT /v1/organisations/me: id, prefecture, registeredAt', async () => {
    const valid = { kind: 'employer', name: '株式会社因幡データ', corporateNumber: ORG.employerA, headOffice: PLACE.yonago };
    const put = (extra: Record<string, unknown>): RawRequest => ({
      method: 'PUT',
      url: '/v1/organisations/me',
      token: w.tokens.employer,
      json: { ...valid, ...extra },
    });
    await refusedWithoutWrites(
      [put({ id: ORG.employerB }), put({ prefecture: '13' }), put({ registeredAt: '2020-01-01T00:00:00Z' }), put({ localGovernmentCode: ORG.municipality })],
      async () => (await send({ method: 'GET', url: '/v1/organisations/me', token: w.tokens.employer })).json,
    );
  });

  it('POST /v1/match-runs and /national, POST /v1/proposals/{id}/decision, POST /v1/catalog/versions: server-set fields', async () => {
    const cases: RawRequest[] = [
      { method: 'POST', url: '/v1/match-runs', token: w.tokens.center, json: { prefecture: '31', dryRun: true, status: 'published' } },
      { method: 'POST', url: '/v1/match-runs', token: w.tokens.center, json: { prefecture: '31', dryRun: true, runId: 'run_00000000000000000000' } },
      {
        method: 'POST',
        url: '/v1/match-runs',
        token: w.tokens.center,
        json: { prefecture: '31', dryRun: true, createdBy: { sub: 'sec-admin', role: 'admin' } },
      },
      { method: 'POST', url: '/v1/national-match-runs', token: w.tokens.admin, json: { dryRun: true, prefectures: ['31'] } },
      {
        method: 'POST',
        url: `/v1/proposals/${w.proposals.learnerOwn.proposalId}/decision`,
        token: w.tokens.learner,
        json: { decision: 'accept', by: 'organisation' },
      },
      {
        method: 'POST',
        url: `/v1/proposals/${w.proposals.learnerOwn.proposalId}/decision`,
        token: w.tokens.learner,
        json: { decision: 'accept', status: 'accepted' },
      },
      {
        method: 'POST',
        url: '/v1/catalog/versions',
        token: w.tokens.admin,
        json: { catalog: { ...w.catalog12, version: 'sec-prop', installedAt: '2020-01-01T00:00:00Z' } },
      },
      { method: 'POST', url: '/v1/catalog/versions', token: w.tokens.admin, json: { catalog: { ...w.catalog12, version: 'sec-prop' }, current: true } },
    ];
    await refusedWithoutWrites(cases, async () => [
      (await send({ method: 'GET', url: `/v1/proposals/${w.proposals.learnerOwn.proposalId}`, token: w.tokens.learner })).json,
      (await send({ method: 'GET', url: '/v1/catalog' })).json,
    ]);
  });
});
