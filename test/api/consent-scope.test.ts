import { beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../support/api';
import { runRound } from '../support/rounds';
import { centerToken, createLearner, openingBody, profileBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * Consent scope (README "Openings, ranking and matching rounds"): matching consent shows a
 * learner to the centers and openings of the prefectures they live in or want to work in;
 * place-free consent also to remote and side-job openings anywhere. The center's reads,
 * the candidate lists and the rounds must agree.
 */
const EMPLOYER_ORG = '7123456789012';
let employer: string;
let tottoriCenter: string;
let remoteOpening: string;
let strongCourse: string;
let provider: string;

/** Lives in 東京都 (13), wants remote work in 13 only: never chose 鳥取県 (31). */
const TOKYO_REMOTE = { workPrefectures: ['13'], workStyles: ['remote'] };

async function withVerifiedCompletion(id: string, overrides: Record<string, unknown>) {
  const token = await createLearner(id, overrides, { linkProviders: ['prov-scope'] });
  const res = await call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: strongCourse, completedOn: '2025-05-01' } });
  expect(res.status, res.text).toBe(201);
  return token;
}

async function listed(token = tottoriCenter): Promise<string[]> {
  const res = await call('GET', `/v1/openings/${remoteOpening}/candidates`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json.candidates.map((c: { candidate: string }) => c.candidate);
}

/** The learners a dry round of 31 proposes (the remote opening has seats for everyone). */
async function inRoundOf31(): Promise<string[]> {
  const round = await runRound(tottoriCenter, { prefecture: '31', dryRun: true });
  return round.proposals.map((p: { learnerId: string }) => p.learnerId).sort();
}

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-scope');
  strongCourse = await registerCourse(provider, {
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'a' },
    ],
  });
  employer = await registerEmployer(EMPLOYER_ORG, '因幡データ株式会社');
  const created = await call('POST', '/v1/openings', {
    token: employer,
    body: openingBody({ title: 'リモート データエンジニア', workStyle: 'remote', headcount: 5 }),
  });
  expect(created.status, created.text).toBe(201);
  remoteOpening = created.json.openingId;
  expect((await call('PATCH', `/v1/openings/${remoteOpening}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
  tottoriCenter = await centerToken('31');
  // Lives in 31 and wants remote work: matching consent alone shows them in 31's openings.
  await withVerifiedCompletion('cs-local', { residence: { municipality: '312011' }, workPrefectures: [], workStyles: ['remote'] });
}, 120_000);

describe('consent scope: place-free consent', () => {
  let token: string;

  it('does not show a learner from elsewhere without place-free consent: not listed, not in a round, 404 to the center', async () => {
    token = await withVerifiedCompletion('cs-tokyo', TOKYO_REMOTE);
    const ids = await listed();
    expect(ids).toContain('cs-local');
    expect(ids).not.toContain('cs-tokyo');
    expect(await inRoundOf31()).toEqual(['cs-local']);
    expect((await call('GET', '/v1/learners/cs-tokyo', { token: tottoriCenter })).status).toBe(404);
    expect((await call('GET', '/v1/learners/cs-tokyo/skills', { token: tottoriCenter })).status).toBe(404);
    expect((await call('GET', '/v1/learners/cs-tokyo', { token: await centerToken('13') })).status).toBe(200);
    expect((await call('GET', '/v1/learners/me', { token })).json.consent).toMatchObject({ matching: true, placeFree: false });
  });

  it('shows them for remote openings anywhere, and to every center, once they give it; the export shows who saw them', async () => {
    const given = await call('PUT', '/v1/learners/me', { token, body: profileBody({ ...TOKYO_REMOTE, placeFreeConsent: true }) });
    expect(given.status, given.text).toBe(200);
    expect(given.json.consent).toMatchObject({ matching: true, placeFree: true });
    expect(await listed()).toContain('cs-tokyo');
    expect(await inRoundOf31()).toEqual(['cs-local', 'cs-tokyo']);
    const read = await call('GET', '/v1/learners/cs-tokyo', { token: tottoriCenter });
    expect(read.status, read.text).toBe(200);
    expect(read.json.consent.placeFree).toBe(true);
    expect((await call('GET', '/v1/learners/cs-tokyo', { token: await centerToken('27') })).status).toBe(200);

    // Omitted on an update: the stored choice stays, and the history does not grow.
    const kept = await call('PUT', '/v1/learners/me', { token, body: profileBody(TOKYO_REMOTE) });
    expect(kept.json.consent.placeFree).toBe(true);

    const exported = (await call('GET', '/v1/learners/me/export', { token })).json;
    expect(exported.profile.consent).toMatchObject({ matching: true, placeFree: true });
    expect(exported.profile.consentHistory.map((h: { matching: boolean; placeFree: boolean }) => [h.matching, h.placeFree])).toEqual([
      [true, false],
      [true, true],
    ]);
    const byCenter31 = expect.objectContaining({ role: 'center', prefecture: '31' });
    expect(exported.accessLog).toContainEqual(
      expect.objectContaining({ action: 'listed-as-candidate', actor: byCenter31, details: { openingId: remoteOpening } }),
    );
    expect(exported.accessLog).toContainEqual(expect.objectContaining({ action: 'read-profile', actor: byCenter31 }));
  });

  it('removes them from the remote listing, the round and the center the moment they revoke it', async () => {
    const revoked = await call('PUT', '/v1/learners/me', { token, body: profileBody({ ...TOKYO_REMOTE, placeFreeConsent: false }) });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json.consent.placeFree).toBe(false);
    expect(await listed()).not.toContain('cs-tokyo');
    expect(await listed(employer)).toHaveLength(1);
    expect(await inRoundOf31()).toEqual(['cs-local']);
    expect((await call('GET', '/v1/learners/cs-tokyo', { token: tottoriCenter })).status).toBe(404);
  });

  it('gives place-free consent no effect without matching consent', async () => {
    const res = await call('PUT', '/v1/learners/me', { token, body: profileBody({ ...TOKYO_REMOTE, matchingConsent: false, placeFreeConsent: true }) });
    expect(res.json.consent).toMatchObject({ matching: false, placeFree: true });
    expect(await listed()).not.toContain('cs-tokyo');
    expect((await call('GET', '/v1/learners/cs-tokyo', { token: tottoriCenter })).status).toBe(404);
  });
});

describe('consent scope: profiles stored before place-free consent existed', () => {
  it('reads them as without place-free consent, even where an old pool entry still lists them', async () => {
    const { putLearnerProfile } = await import('../../shared/data/learners');
    const { putPoolEntry } = await import('../../shared/data/pools');
    const { stylePoolOf } = await import('../../shared/domain/candidate-pool');
    const { bundledCatalogVersions } = await import('../../shared/catalog/bundled');
    const catalog = bundledCatalogVersions()[0]!;
    const verified = catalog.promotion.skills.map((s) => (['data-platform-design', 'data-platform-operations'].includes(s.id) ? 'a' : '-')).join('');
    const at = '2025-04-01T00:00:00.000Z';
    await putLearnerProfile({
      learnerId: 'cs-legacy',
      residence: { prefecture: '13', municipality: '131016' },
      workPrefectures: ['13'],
      workStyles: ['remote'],
      turn: { intent: 'none' },
      consent: { matching: true, changedAt: at },
      consentHistory: [{ matching: true, at }],
      createdAt: at,
      updatedAt: at,
    });
    // What the earlier rule published: everyone wanting remote work, in the remote pool.
    await putPoolEntry(stylePoolOf('remote', 'cs-legacy'), {
      learnerId: 'cs-legacy',
      residencePrefecture: '13',
      workPrefectures: ['13'],
      workStyles: ['remote'],
      turn: 'none',
      standings: { [catalog.version]: { verified, selfReported: '-'.repeat(verified.length), readiness: catalog.promotion.roles.map(() => 0) } },
      basis: `001|${at}|0000000001`,
    });
    const token = await tokenFor({ sub: 'cs-legacy', role: 'learner' });
    const me = await call('GET', '/v1/learners/me', { token });
    expect(me.status, me.text).toBe(200);
    expect(me.json.consent).toEqual({ matching: true, placeFree: false, changedAt: at });
    const exported = (await call('GET', '/v1/learners/me/export', { token })).json;
    expect(exported.profile.consent.placeFree).toBe(false);
    expect(exported.profile.consentHistory).toEqual([{ matching: true, placeFree: false, at }]);
    expect(await listed()).not.toContain('cs-legacy');
    expect(await inRoundOf31()).not.toContain('cs-legacy');
    expect((await call('GET', '/v1/learners/cs-legacy', { token: tottoriCenter })).status).toBe(404);
  });
});
