import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_REPORTABLE_LEARNER } from '../../shared/domain/completions';
import { runRebuild } from '../../shared/domain/rebuild';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { addDays } from '../../shared/time/japan-time';
import { call } from '../support/api';
import { adminToken, centerToken, createLearner, learnerToken, linkProvider, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

/**
 * A learner's "this provider may report my completions" (issue 11): only a linked
 * provider's reports are accepted, and to the provider an unlinked learner looks exactly
 * like an unknown one.
 */
const PROVIDER = 'prov-link';
let provider: string;
let otherProvider: string;
let courseId: string;
let admin: string;

beforeAll(async () => {
  await seedCatalog();
  admin = await adminToken();
  provider = await providerToken(PROVIDER);
  otherProvider = await providerToken('prov-link-other');
  courseId = await registerCourse(provider);
}, 60_000);

const report = (learnerId: string, completedOn: string, token = provider) =>
  call('POST', '/v1/completions', { token, body: { learnerId, courseId, completedOn } });
const importCsv = (rows: string[]) =>
  call('POST', '/v1/completions/import', {
    token: provider,
    raw: { contentType: 'text/csv', data: `learner_id,course_id,completed_on\n${rows.join('\n')}\n` },
  });
/** What a provider sees of a refusal: everything but the request's own address. */
const refusal = ({ json }: { json: Record<string, unknown> }) => ({ type: json.type, title: json.title, status: json.status, detail: json.detail });
const link = (token: string, providerId = PROVIDER) => call('PUT', `/v1/learners/me/providers/${providerId}`, { token });
const unlink = (token: string, providerId = PROVIDER) => call('DELETE', `/v1/learners/me/providers/${providerId}`, { token });

describe('linking a provider', () => {
  it('is the learner’s own, idempotent, revocable, audited, and in their profile and export', async () => {
    const token = await createLearner('pl-own');
    const first = await link(token);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({ providerId: PROVIDER, linked: true, linkedAt: expect.any(String) });
    const again = await link(token);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json); // the first linkedAt stays

    expect((await call('GET', '/v1/learners/me', { token })).json.providerLinks).toEqual([{ providerId: PROVIDER, linkedAt: first.json.linkedAt }]);
    const exported = (await call('GET', '/v1/learners/me/export', { token })).json;
    expect(exported.providerLinks).toEqual([{ providerId: PROVIDER, linkedAt: first.json.linkedAt }]);

    const revoked = await unlink(token);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toEqual({ providerId: PROVIDER, linked: false });
    expect((await unlink(token)).json).toEqual({ providerId: PROVIDER, linked: false });
    expect((await call('GET', '/v1/learners/me', { token })).json.providerLinks).toEqual([]);
    const after = (await call('GET', '/v1/learners/me/export', { token })).json;
    expect(after.providerLinks).toEqual([]);
    // One entry per change, none for the repeats.
    const changes = after.accessLog.filter((e: { action: string }) => e.action.startsWith('provider-'));
    expect(changes.map((e: { action: string; details: unknown }) => [e.action, e.details])).toEqual([
      ['provider-linked', { providerId: PROVIDER }],
      ['provider-unlinked', { providerId: PROVIDER }],
    ]);
  });

  it('cannot be made for someone else: another learner links only themselves; other roles are refused', async () => {
    await createLearner('pl-victim');
    const other = await createLearner('pl-other');
    expect((await link(other)).status).toBe(201);
    expect(refusal(await report('pl-victim', '2025-05-01'))).toEqual(refusal(await report('pl-nobody', '2025-05-01')));
    for (const token of [provider, admin, await centerToken('31')]) {
      expect((await call('PUT', `/v1/learners/me/providers/${PROVIDER}`, { token })).status).toBe(403);
      expect((await call('DELETE', `/v1/learners/me/providers/${PROVIDER}`, { token })).status).toBe(403);
    }
    expect((await call('PUT', `/v1/learners/pl-victim/providers/${PROVIDER}`, { token: other })).status).toBe(404);
    expect((await call('PUT', '/v1/learners/me/providers/Not_A_Provider', { token: other })).status).toBe(400);
    expect((await call('GET', '/v1/learners/me/export', { token: await learnerToken('pl-victim') })).json.providerLinks).toEqual([]);
  });
});

describe('a provider reports only for learners who linked it', () => {
  it('refuses an unlinked learner exactly like an unknown one, accepts once linked, refuses again once revoked', async () => {
    const token = await createLearner('pl-single');
    const unknown = await report('pl-single-nobody', '2025-06-01');
    const unlinked = await report('pl-single', '2025-06-01');
    expect(unknown.status).toBe(422);
    expect(refusal(unlinked)).toEqual(refusal(unknown));
    expect(unlinked.json.detail).toBe(NOT_REPORTABLE_LEARNER);
    // Linking another provider does not let this one report.
    await linkProvider(token, 'prov-link-other');
    expect(refusal(await report('pl-single', '2025-06-01'))).toEqual(refusal(unknown));

    await linkProvider(token, PROVIDER);
    const accepted = await report('pl-single', '2025-06-01');
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json.status).toBe('verified');

    expect((await unlink(token)).status).toBe(200);
    expect(refusal(await report('pl-single', '2025-06-02'))).toEqual(refusal(unknown));
    // A provider's verification of a self-report is a report too.
    await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2025-06-03', evidence: { certificateNumber: 'PL-1' } } });
    expect(refusal(await report('pl-single', '2025-06-03'))).toEqual(refusal(unknown));
    // What was stored while linked stays.
    const list = (await call('GET', '/v1/learners/pl-single/completions', { token })).json.completions;
    expect(list.map((c: { completedOn: string; status: string }) => [c.completedOn, c.status])).toEqual([
      ['2025-06-01', 'verified'],
      ['2025-06-03', 'self-reported'],
    ]);
    // Another provider's own course stays another matter: 403 before any learner is looked at.
    expect((await report('pl-single', '2025-06-04', otherProvider)).status).toBe(403);
  });

  it('refuses CSV rows of unlinked learners with the unknown learner’s reason, within the request', async () => {
    await createLearner('pl-csv-linked', {}, { linkProviders: [PROVIDER] });
    await createLearner('pl-csv-unlinked');
    const res = await importCsv([`pl-csv-nobody,${courseId},2025-04-02`, `pl-csv-unlinked,${courseId},2025-04-02`, `pl-csv-linked,${courseId},2025-04-02`]);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ rows: 3, stored: 1 });
    expect(res.json.rejected).toEqual([
      { row: 2, reason: NOT_REPORTABLE_LEARNER },
      { row: 3, reason: NOT_REPORTABLE_LEARNER },
    ]);
  });

  it('refuses them in a queued import too', async () => {
    await createLearner('pl-queue-linked', {}, { linkProviders: [PROVIDER] });
    const unlinked = await createLearner('pl-queue-unlinked');
    await linkProvider(unlinked, 'prov-link-other');
    const rows = Array.from({ length: 300 }, (_, d) => `pl-queue-linked,${courseId},${addDays('2023-04-01', d)}`);
    for (let d = 0; d < 210; d++) rows.push(`pl-queue-unlinked,${courseId},${addDays('2023-04-01', d)}`);
    const res = await importCsv(rows);
    expect(res.status, res.text).toBe(202);
    let job = res.json;
    for (let wait = 0; !job.finished && wait < 600; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await call('GET', `/v1/imports/${res.json.importId}`, { token: provider })).json;
    }
    expect(job).toMatchObject({ rows: 510, done: 510, stored: 300, rejectedCount: 210, finished: true });
    expect(job.rejected.every((r: { row: number; reason: string }) => r.row > 301 && r.reason === NOT_REPORTABLE_LEARNER)).toBe(true);
  }, 120_000);
});

describe('the national count', () => {
  it('moves by exactly the linked learners once the course is accredited: 11 rows, 8 linked', async () => {
    const qualified = async () => (await call('GET', '/v1/progress', { token: admin })).json.qualified as number;
    const course = await registerCourse(
      provider,
      { title: '連携確認 DX 資格', certification: true, skills: [{ skill: 'data-platform-design', level: 'b' }] },
      { accredit: false },
    );
    for (let i = 0; i < 11; i++) await createLearner(`pl-count-${i}`, {}, { linkProviders: i < 8 ? [PROVIDER] : [] });
    await runAggregation();
    const before = await qualified();

    const csv = Array.from({ length: 11 }, (_, i) => `pl-count-${i},${course},2025-06-01`);
    const res = await call('POST', '/v1/completions/import', {
      token: provider,
      raw: { contentType: 'text/csv', data: `learner_id,course_id,completed_on\n${csv.join('\n')}\n` },
    });
    expect(res.json).toMatchObject({ rows: 11, stored: 8 });
    expect(res.json.rejected).toEqual([9, 10, 11].map((row) => ({ row: row + 1, reason: NOT_REPORTABLE_LEARNER })));
    await runAggregation();
    expect(await qualified()).toBe(before); // not accredited yet

    const asked = await call('POST', `/v1/courses/${course}/accreditation-requests`, {
      token: provider,
      body: { scheme: 'ipa-exam', validFrom: '2022-04-01' },
    });
    expect(asked.status, asked.text).toBe(201);
    const approved = await call('POST', `/v1/accreditation-requests/${asked.json.requestId}/decision`, {
      token: admin,
      body: { decision: 'approve', reason: 'IPA examination mapping checked' },
    });
    expect(approved.status, approved.text).toBe(200);
    const rebuildId = /\/v1\/rebuilds\/(rbd_[^>]+)>/.exec(approved.headers.link ?? '')?.[1];
    expect(rebuildId).toBeDefined();
    await runRebuild(rebuildId!);
    await runAggregation();
    expect(await qualified()).toBe(before + 8);
    expect((await recount()).differences).toEqual([]);
  }, 120_000);
});
