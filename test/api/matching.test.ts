import { beforeAll, describe, expect, it } from 'vitest';
import { runAggregation } from '../../shared/progress/aggregator';
import { call, tokenFor } from '../support/api';
import { runRound } from '../support/rounds';
import { adminToken, centerToken, createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';

const EMPLOYER_ORG = '7123456789012';
const OTHER_ORG = '2120901007402';
let employer: string;
let otherEmployer: string;
let tottoriCenter: string;
let openingId: string;
let strongCourse: string;
let provider: string;

async function postOpenOpening(token: string, overrides: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/openings', { token, body: openingBody({ title: 'データエンジニア（鳥取本社）', ...overrides }) });
  expect(created.status, created.text).toBe(201);
  const opened = await call('PATCH', `/v1/openings/${created.json.openingId}`, { token, body: { status: 'open' } });
  expect(opened.status, opened.text).toBe(200);
  return created.json.openingId as string;
}

/** A learner who consents, wants to work in Tottori, and has `status` evidence of the strong course. */
async function candidate(id: string, status: 'verified' | 'self-reported', overrides: Record<string, unknown> = {}) {
  const token = await createLearner(id, { workPrefectures: ['31'], workStyles: ['full-time'], ...overrides }, { linkProviders: ['prov-match'] });
  const body = { learnerId: id, courseId: strongCourse, completedOn: '2025-05-01' };
  const res =
    status === 'verified'
      ? await call('POST', '/v1/completions', { token: provider, body })
      : await call('POST', '/v1/completions', { token, body: { ...body, evidence: { certificateNumber: 'S-1' } } });
  expect(res.status).toBe(201);
  // The job derives pool entries off the request path (every few seconds on the host).
  await runAggregation();
  return token;
}

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-match');
  strongCourse = await registerCourse(provider, {
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'a' },
    ],
  });
  employer = await registerEmployer(EMPLOYER_ORG, '因幡データ株式会社');
  otherEmployer = await registerEmployer(OTHER_ORG, '出雲テック株式会社');
  tottoriCenter = await centerToken('31');
  openingId = await postOpenOpening(employer);
  await candidate('m-verified', 'verified');
  await candidate('m-self', 'self-reported');
  await candidate('m-osaka-only', 'verified', { workPrefectures: ['27'] });
  await candidate('m-no-consent', 'verified', { matchingConsent: false });
  await candidate('m-side-job-only', 'verified', { workStyles: ['side-job'] });
}, 120_000);

describe('candidate ranking', () => {
  it('ranks consenting candidates who fit by place and style, with met and missing items', async () => {
    const res = await call('GET', `/v1/openings/${openingId}/candidates`, { token: tottoriCenter });
    expect(res.status, res.text).toBe(200);
    const ids = res.json.candidates.map((c: { candidate: string }) => c.candidate);
    expect(ids[0]).toBe('m-verified');
    expect(ids).not.toContain('m-osaka-only');
    expect(ids).not.toContain('m-no-consent');
    expect(ids).not.toContain('m-side-job-only');
    const top = res.json.candidates[0];
    expect(top.requiredMet).toBe('2/2');
    expect(top.met.map((m: { skill: string }) => m.skill)).toEqual(['data-platform-design', 'data-platform-operations']);
    expect(top.missing).toContainEqual({ skill: 'cloud-infrastructure', kind: 'nice-to-have', required: 'c', attained: null, evidence: null });
    const self = res.json.candidates.find((c: { candidate: string }) => c.candidate === 'm-self');
    expect(self.requiredMet).toBe('0/2');
    expect(res.json.evidence).toBe('verified only');
  });

  it('counts self-reported evidence only when the center opts in', async () => {
    const res = await call('GET', `/v1/openings/${openingId}/candidates?includeSelfReported=true`, { token: tottoriCenter });
    const self = res.json.candidates.find((c: { candidate: string }) => c.candidate === 'm-self');
    expect(self.requiredMet).toBe('2/2');
    expect(self.met[0].evidence).toBe('self-reported');
    expect((await call('GET', `/v1/openings/${openingId}/candidates?includeSelfReported=true`, { token: employer })).status).toBe(403);
  });

  it('shows the owning organisation anonymised candidates, and nobody else the list', async () => {
    const res = await call('GET', `/v1/openings/${openingId}/candidates`, { token: employer });
    expect(res.status).toBe(200);
    expect(res.json.candidates[0].candidate).toMatch(/^cand_[a-f0-9]{16}$/);
    // Scores rest on the estimated 1.2 importance matrix, and the answer says so.
    expect(res.json).toMatchObject({ catalogVersion: '1.2', provisional: true });
    expect(res.json.provisionalReason).toEqual(expect.any(String));
    expect(res.text).not.toContain('m-verified');
    expect(res.text).not.toContain('山田');
    expect((await call('GET', `/v1/openings/${openingId}/candidates`, { token: otherEmployer })).status).toBe(404);
    expect((await call('GET', `/v1/openings/${openingId}/candidates`, { token: await centerToken('27') })).status).toBe(404);
    expect((await call('GET', `/v1/openings/${openingId}/candidates`, { token: await tokenFor({ sub: 'm-verified', role: 'learner' }) })).status).toBe(403);
  });

  it('drops a learner from every list the moment they revoke consent', async () => {
    const token = await candidate('m-revoker', 'verified');
    const before = await call('GET', `/v1/openings/${openingId}/candidates`, { token: tottoriCenter });
    expect(before.json.candidates.map((c: { candidate: string }) => c.candidate)).toContain('m-revoker');
    const me = (await call('GET', '/v1/learners/me', { token })).json;
    const revoked = await call('PUT', '/v1/learners/me', {
      token,
      body: {
        residence: { municipality: me.residence.municipality },
        workPrefectures: me.workPrefectures,
        workStyles: me.workStyles,
        turn: me.turn,
        matchingConsent: false,
      },
    });
    expect(revoked.status).toBe(200);
    const after = await call('GET', `/v1/openings/${openingId}/candidates`, { token: tottoriCenter });
    expect(after.json.candidates.map((c: { candidate: string }) => c.candidate)).not.toContain('m-revoker');
  });
});

describe('matching round, proposals and placement', () => {
  let runId: string;
  let proposalId: string;

  it('refuses a round for another prefecture', async () => {
    expect((await call('POST', '/v1/match-runs', { token: await centerToken('27'), body: { prefecture: '31' } })).status).toBe(403);
    expect((await call('POST', '/v1/match-runs', { token: employer, body: { prefecture: '31' } })).status).toBe(403);
  });

  it('shows a dry run without publishing it', async () => {
    const round = await runRound(tottoriCenter, { prefecture: '31', dryRun: true });
    expect(round.run).toMatchObject({ dryRun: true, stable: true, status: 'unpublished' });
    expect(round.proposals[0]).toMatchObject({ learnerId: 'm-verified', openingId, provisional: true });
    expect(round.proposals[0].provisionalReason).toEqual(expect.any(String));
    expect((await call('POST', `/v1/match-runs/${round.run.runId}/publish`, { token: tottoriCenter })).status).toBe(409);
    const learner = await tokenFor({ sub: 'm-verified', role: 'learner' });
    expect((await call('GET', '/v1/proposals', { token: learner })).json.proposals).toEqual([]);
  });

  it('runs, explains and publishes a round', async () => {
    const round = await runRound(tottoriCenter, { prefecture: '31', dryRun: false });
    runId = round.run.runId;
    expect(round.run.counts).toMatchObject({ openings: 1, seats: 1, matched: 1 });
    const proposals = await call('GET', `/v1/match-runs/${runId}/proposals`, { token: tottoriCenter });
    expect(proposals.json.proposals).toHaveLength(1);
    const proposal = proposals.json.proposals[0];
    proposalId = proposal.proposalId;
    expect(proposal.explanation).toMatchObject({ candidateRank: 1, openingRank: 1 });
    expect(proposal.explanation.met).toHaveLength(2);
    expect((await call('GET', `/v1/match-runs/${runId}`, { token: await centerToken('27') })).status).toBe(404);
    const published = await call('POST', `/v1/match-runs/${runId}/publish`, { token: tottoriCenter });
    expect(published.status).toBe(200);
    expect(published.json.status).toBe('published');
  });

  it('shows the organisation nothing of a proposal before the candidate accepts, then the candidate by handle until both accept', async () => {
    const early = await call('POST', `/v1/proposals/${proposalId}/decision`, { token: employer, body: { decision: 'accept' } });
    expect(early.status).toBe(404);
    expect((await call('GET', `/v1/proposals/${proposalId}`, { token: employer })).status).toBe(404);
    expect((await call('GET', '/v1/proposals', { token: employer })).json.proposals).toEqual([]);
    const learner = await tokenFor({ sub: 'm-verified', role: 'learner' });
    expect((await call('POST', `/v1/proposals/${proposalId}/decision`, { token: learner, body: { decision: 'accept' } })).status).toBe(200);
    const seenByOrg = await call('GET', `/v1/proposals/${proposalId}`, { token: employer });
    expect(seenByOrg.json.candidate).toMatch(/^cand_/);
    expect(seenByOrg.json.learnerId).toBeUndefined();
    expect(seenByOrg.json.contact).toBeUndefined();
    const stranger = await tokenFor({ sub: 'm-self', role: 'learner' });
    expect((await call('POST', `/v1/proposals/${proposalId}/decision`, { token: stranger, body: { decision: 'accept' } })).status).toBe(404);
    expect((await call('POST', `/v1/proposals/${proposalId}/decision`, { token: otherEmployer, body: { decision: 'accept' } })).status).toBe(404);
  });

  it("puts the organisation's and the center's reads of a proposal in the candidate's access log", async () => {
    await call('GET', '/v1/proposals', { token: employer });
    await call('GET', `/v1/match-runs/${runId}/proposals`, { token: tottoriCenter });
    const exported = await call('GET', '/v1/learners/me/export', { token: await tokenFor({ sub: 'm-verified', role: 'learner' }) });
    const reads = exported.json.accessLog.filter(
      (e: { action: string; details?: { proposalId?: string } }) => e.action === 'read-proposal' && e.details?.proposalId === proposalId,
    );
    expect(reads.map((e: { actor: { role: string } }) => e.actor.role)).toEqual(expect.arrayContaining(['employer', 'center']));
  });

  it('records the placement when both accept, and reports it with the regional flow', async () => {
    const learner = await tokenFor({ sub: 'm-verified', role: 'learner' });
    const mine = await call('GET', '/v1/proposals', { token: learner });
    expect(mine.json.proposals.map((p: { proposalId: string }) => p.proposalId)).toEqual([proposalId]);
    const candidateYes = await call('POST', `/v1/proposals/${proposalId}/decision`, { token: learner, body: { decision: 'accept' } });
    expect(candidateYes.json.status).toBe('candidate-accepted');
    expect((await call('POST', `/v1/proposals/${proposalId}/decision`, { token: learner, body: { decision: 'decline' } })).status).toBe(409);
    const [first, second] = await Promise.all([
      call('POST', `/v1/proposals/${proposalId}/decision`, { token: employer, body: { decision: 'accept' } }),
      call('POST', `/v1/proposals/${proposalId}/decision`, { token: employer, body: { decision: 'accept' } }),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.json.status).toBe('accepted');
    expect(first.json.learnerId).toBe('m-verified');
    expect(first.json.contact).toMatchObject({ name: '山田 太郎' });
    const opening = await call('GET', `/v1/openings/${openingId}`, { token: employer });
    expect(opening.json.status).toBe('filled');

    await runAggregation();
    const report = await call('GET', '/v1/progress/placements', { token: await adminToken() });
    expect(report.status).toBe(200);
    expect(report.json.placements).toBe(1);
    expect(report.json.byPrefecture.find((p: { code: string }) => p.code === '31').placements).toBe(1);
    expect(report.json.flows).toEqual([{ from: '13', to: '31', placements: 1 }]);
    expect(report.json.fromTokyoAreaToRegions).toBe(1);
    expect(report.json.byWorkStyle.find((s: { workStyle: string }) => s.workStyle === 'full-time').placements).toBe(1);
    const publicReport = await call('GET', '/v1/progress/placements');
    expect(publicReport.json.placements).toBeNull();
    const audit = await import('../../shared/data/audit');
    const trail = await audit.listAudit(`PROPOSAL#${proposalId}`, { cursor: undefined, limit: 20 });
    expect(trail.items.map((e) => e.action)).toEqual(expect.arrayContaining(['proposal-candidate-accepted', 'proposal-accepted']));
  });
});

describe('national round', () => {
  it('runs a round in every prefecture with open openings, in process on the local host', async () => {
    const { localGovernmentCheckDigit } = await import('../../shared/ids');
    const matsue = `32201${localGovernmentCheckDigit('32201')}`;
    await postOpenOpening(otherEmployer, { workplace: matsue, title: '松江のデータエンジニア' });
    await candidate('m-shimane', 'verified', { workPrefectures: ['32'] });
    expect((await call('POST', '/v1/national-match-runs', { token: tottoriCenter, body: {} })).status).toBe(403);
    const res = await call('POST', '/v1/national-match-runs', { token: await adminToken(), body: { dryRun: true } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.prefectures).toEqual(['32']);
    expect(res.json.runs).toEqual([expect.objectContaining({ prefecture: '32', matched: 1, stable: true })]);
    expect(res.json.totals).toMatchObject({ prefectures: 1, matched: 1, stable: true });
    const stored = await call('GET', `/v1/national-match-runs/${res.json.nationalRunId}`, { token: await adminToken() });
    expect(stored.json.totals.matched).toBe(1);
    const run = await call('GET', `/v1/match-runs/${res.json.runs[0].runId}`, { token: await centerToken('32') });
    expect(run.json).toMatchObject({ prefecture: '32', dryRun: true });
  });
});
