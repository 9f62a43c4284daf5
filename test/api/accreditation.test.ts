import { beforeAll, describe, expect, it } from 'vitest';
import { auditSubject, listAudit } from '../../shared/data/audit';
import { runRebuild } from '../../shared/domain/rebuild';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { japanDate } from '../../shared/time/japan-time';
import { call } from '../support/api';
import { accreditCourse, adminToken, createLearner, learnerToken, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

let admin: string;
let provider: string;
const today = japanDate(new Date());

/** National people qualified under the current rule, as admin sees them (exact) and as the public does. */
async function qualified() {
  const exact = (await call('GET', '/v1/progress', { token: admin })).json;
  const open = (await call('GET', '/v1/progress')).json;
  const rows = exact.breakdowns.prefectures as { qualified: number }[];
  // The prefecture rows (with "prefecture unknown") add up to the national figure.
  expect(rows.reduce((n, p) => n + p.qualified, 0)).toBe(exact.qualified);
  return {
    admin: exact.qualified as number,
    public: open.qualified as number | null,
    towardTarget: exact.pace.towardTarget as number,
    rule: exact.rule as string,
  };
}

/** Runs the rebuild a decision or edit answered with (its Link header), then the aggregation. */
async function settle(res: { headers: Record<string, string> }) {
  const rebuildId = /\/v1\/rebuilds\/(rbd_[^>]+)>/.exec(res.headers.link ?? '')?.[1];
  if (rebuildId) await runRebuild(rebuildId);
  await runAggregation();
}

async function report(learnerId: string, courseId: string, completedOn: string) {
  const res = await call('POST', '/v1/completions', { token: provider, body: { learnerId, courseId, completedOn } });
  expect(res.status, res.text).toBe(201);
}

async function ask(courseId: string, body: Record<string, unknown> = { scheme: 'ipa-exam', validFrom: '2022-04-01' }) {
  const res = await call('POST', `/v1/courses/${courseId}/accreditation-requests`, { token: provider, body });
  expect(res.status, res.text).toBe(201);
  return res.json.requestId as string;
}

const decide = async (requestId: string, body: Record<string, unknown>) =>
  call('POST', `/v1/accreditation-requests/${requestId}/decision`, { token: admin, body });

beforeAll(async () => {
  await seedCatalog();
  admin = await adminToken();
  provider = await providerToken('prov-accr');
}, 60_000);

describe('accreditation: a provider cannot move the count by itself', () => {
  it('counts nobody for an unaccredited certification course, then exactly its learners once admin accredits it', async () => {
    const before = await qualified();
    expect(before.rule).toBe('2026.2');
    const course = await registerCourse(
      provider,
      { title: '自社認定 DX 資格', certification: true, skills: [{ skill: 'data-platform-design', level: 'b' }] },
      { accredit: false },
    );
    for (let i = 0; i < 11; i++) {
      await createLearner(`acc-self-${i}`, {}, { linkProviders: ['prov-accr'] });
      await report(`acc-self-${i}`, course, '2025-06-01');
    }
    await runAggregation();
    expect(await qualified()).toEqual(before);
    // The completions still build the skill profile.
    const skills = (await call('GET', '/v1/learners/acc-self-0/skills', { token: await learnerToken('acc-self-0') })).json;
    expect(skills.versions[0].tags).toContain('dss-p:1.2:skill:data-platform-design:b');
    expect(skills.qualifications).toEqual([]);
    expect((await call('GET', `/v1/courses/${course}`)).json.accreditation).toEqual({ status: 'none', periods: [] });

    const requestId = await ask(course);
    const pending = await call('GET', '/v1/accreditation-requests?status=pending', { token: admin });
    expect(pending.json.requests.map((r: { requestId: string }) => r.requestId)).toContain(requestId);
    expect(await qualified()).toEqual(before); // asking changes nothing
    const approved = await decide(requestId, { decision: 'approve', reason: 'IPA examination mapping checked' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', decision: { decision: 'approve', by: 'admin-1' } });
    await settle(approved);
    const after = await qualified();
    expect(after.admin).toBe(before.admin + 11);
    expect(after.towardTarget).toBe(before.towardTarget + 11);
    expect((await recount()).differences).toEqual([]);

    const shown = (await call('GET', `/v1/courses/${course}`)).json.accreditation;
    expect(shown).toMatchObject({
      status: 'accredited',
      periods: [{ scheme: 'ipa-exam', validFrom: '2022-04-01', validTo: '9999-12-31', skills: [{ skill: 'data-platform-design', level: 'b' }] }],
    });
    const trail = (await listAudit(auditSubject.course(course), { cursor: undefined, limit: 10 })).items.map((e) => e.action);
    expect(trail).toEqual(['accreditation-requested', 'accreditation-approved']);
  });

  it('suspends on an edit of items or levels: earlier evidence stays counted, evidence from that day on waits for re-review', async () => {
    const course = await registerCourse(provider, { title: '改訂予定講座', certification: true, skills: [{ skill: 'data-platform-design', level: 'b' }] });
    await createLearner('acc-early', {}, { linkProviders: ['prov-accr'] });
    await createLearner('acc-late', {}, { linkProviders: ['prov-accr'] });
    await report('acc-early', course, '2025-09-01');
    await runAggregation();
    const before = await qualified();

    const edited = await call('PATCH', `/v1/courses/${course}`, { token: provider, body: { skills: [{ skill: 'data-platform-design', level: 'a' }] } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.skills).toEqual([{ skill: 'data-platform-design', level: 'a' }]);
    expect(edited.json.accreditation.status).toBe('suspended');
    expect(edited.json.accreditation.periods[0]).toMatchObject({
      skills: [{ skill: 'data-platform-design', level: 'b' }],
      suspendedBecause: expect.any(String),
    });
    await settle(edited);
    await report('acc-late', course, today);
    await runAggregation();
    expect((await qualified()).admin).toBe(before.admin); // acc-early still counted, acc-late not yet

    // A title change alone leaves the accreditation as it is.
    const retitled = await call('PATCH', `/v1/courses/${course}`, { token: provider, body: { title: '改訂講座' } });
    expect(retitled.json.accreditation.status).toBe('suspended');

    const again = await ask(course, { scheme: 'ipa-exam', validFrom: today });
    const approved = await decide(again, { decision: 'approve', reason: 'reviewed after the change' });
    expect(approved.status, approved.text).toBe(200);
    await settle(approved);
    expect((await qualified()).admin).toBe(before.admin + 1);
    const shown = (await call('GET', `/v1/courses/${course}`)).json.accreditation;
    expect(shown.status).toBe('accredited');
    expect(shown.periods[1]).toMatchObject({ validFrom: today, skills: [{ skill: 'data-platform-design', level: 'a' }] });
    expect((await recount()).differences).toEqual([]);
  });

  it('lets admin reject with a reason, lists requests by status page by page, and keeps a decision once made', async () => {
    const course = await registerCourse(provider, { title: '却下される講座' }, { accredit: false });
    const first = await ask(course);
    const rejected = await decide(first, { decision: 'reject', reason: 'the mapping is not evidenced' });
    expect(rejected.status).toBe(200);
    expect(rejected.json).toMatchObject({ status: 'rejected', decision: { reason: 'the mapping is not evidenced' } });
    expect((await decide(first, { decision: 'reject', reason: 'again' })).status).toBe(200);
    expect((await decide(first, { decision: 'approve', reason: 'changed my mind' })).status).toBe(409);
    expect((await call('GET', `/v1/courses/${course}`)).json.accreditation.status).toBe('none');

    const rejectedList = await call('GET', '/v1/accreditation-requests?status=rejected&limit=1', { token: admin });
    expect(rejectedList.status).toBe(200);
    expect(rejectedList.json.requests).toHaveLength(1);

    // A request made before the course changed is not approved for what it no longer is.
    const stale = await ask(course);
    await call('PATCH', `/v1/courses/${course}`, { token: provider, body: { skills: [{ skill: 'data-platform-design', level: 'c' }] } });
    expect((await decide(stale, { decision: 'approve', reason: 'ok' })).status).toBe(409);

    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/accreditation-requests?status=approved&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: admin,
      });
      expect(page.status, page.text).toBe(200);
      walked.push(...page.json.requests.map((r: { requestId: string }) => r.requestId));
      cursor = page.json.cursor;
    } while (cursor);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses requests for another provider's course, unknown schemes and inverted validity", async () => {
    const course = await registerCourse(provider, { title: '他社に申請させない' }, { accredit: false });
    const other = await providerToken('prov-accr-other');
    const foreign = await call('POST', `/v1/courses/${course}/accreditation-requests`, { token: other, body: { scheme: 'ipa-exam', validFrom: '2024-04-01' } });
    expect(foreign.status).toBe(403);
    const scheme = await call('POST', `/v1/courses/${course}/accreditation-requests`, {
      token: provider,
      body: { scheme: 'self-declared', validFrom: '2024-04-01' },
    });
    expect(scheme.status).toBe(422);
    const inverted = await call('POST', `/v1/courses/${course}/accreditation-requests`, {
      token: provider,
      body: { scheme: 'ipa-exam', validFrom: '2025-04-01', validTo: '2024-03-31' },
    });
    expect(inverted.status).toBe(422);
    const foreignEdit = await call('PATCH', `/v1/courses/${course}`, { token: other, body: { title: 'x' } });
    expect(foreignEdit.status).toBe(403);
  });
});

describe('rule 2026.2 and counting rules as data', () => {
  it('is current: full DSS-L coverage alone is a tag, not a count', async () => {
    const catalog = (await call('GET', '/v1/catalog/1.2')).json;
    const literacy = await registerCourse(provider, {
      title: 'DX リテラシー総合',
      literacyItems: catalog.literacy.items.map((i: { id: string }) => ({ item: i.id, level: 'c' })),
      skills: [],
    });
    const token = await createLearner('acc-literate', {}, { linkProviders: ['prov-accr'] });
    await report('acc-literate', literacy, '2025-07-01');
    await runAggregation();
    const skills = (await call('GET', '/v1/learners/acc-literate/skills', { token })).json;
    expect(skills.versions[0].tags).toContain('dss-l:1.2:complete');
    expect(skills.qualifications).toEqual([]);
    const rules = (await call('GET', '/v1/counting-rules')).json;
    expect(rules.current).toBe('2026.2');
    const current = rules.rules.find((r: { version: string }) => r.version === '2026.2');
    expect(current.anyOf.map((c: { kind: string }) => c.kind)).not.toContain('literacy-complete');
    expect(current.anyOf.find((c: { kind: string }) => c.kind === 'entry-level-exam')).toMatchObject({
      counts: false,
      reason: expect.stringContaining('IT Passport'),
    });
    expect(rules.schemes.map((s: { id: string }) => s.id)).toContain('ipa-it-passport');
  });

  it('counts an accredited IT Passport only once admin installs and activates a rule that switches it on', async () => {
    const passport = await registerCourse(
      provider,
      { title: 'ITパスポート', certification: true, skills: [{ skill: 'technology-trends', level: 'd' }] },
      { accredit: false },
    );
    await accreditCourse(provider, passport, { scheme: 'ipa-it-passport' });
    await createLearner('acc-passport', {}, { linkProviders: ['prov-accr'] });
    await report('acc-passport', passport, '2025-05-10');
    await runAggregation();
    const before = await qualified();
    const skills = (await call('GET', '/v1/learners/acc-passport/skills', { token: await learnerToken('acc-passport') })).json;
    expect(skills.qualifications).toEqual([]);

    const rules = (await call('GET', '/v1/counting-rules')).json.rules;
    const base = rules.find((r: { version: string }) => r.version === '2026.2');
    const next = {
      ...base,
      version: '2026.3-test',
      anyOf: base.anyOf.map((c: { kind: string }) =>
        c.kind === 'entry-level-exam' ? { ...c, counts: true, reason: 'test: the office decided IT Passport counts' } : c,
      ),
    };
    expect((await call('POST', '/v1/counting-rules', { token: await learnerToken('acc-passport'), body: { rule: next } })).status).toBe(403);
    const unknownScheme = { ...next, anyOf: [{ kind: 'accredited-certification', schemes: ['nope'], description: 'x' }] };
    expect((await call('POST', '/v1/counting-rules', { token: admin, body: { rule: unknownScheme } })).status).toBe(422);
    const installed = await call('POST', '/v1/counting-rules', { token: admin, body: { rule: next, makeCurrent: true } });
    expect(installed.status, installed.text).toBe(201);
    expect(installed.json.current).toBe('2026.3-test');
    expect((await call('POST', '/v1/counting-rules', { token: admin, body: { rule: { ...next, label: 'other content' } } })).status).toBe(409);
    await settle(installed);

    const after = (await call('GET', '/v1/progress', { token: admin })).json;
    expect(after.rule).toBe('2026.3-test');
    expect(after.provisional).toBe(true);
    // Every learner re-derived under the new rule: the IT Passport holder counts too.
    const mine = (await call('GET', '/v1/learners/acc-passport/skills', { token: await learnerToken('acc-passport') })).json.qualifications;
    expect(mine).toEqual([expect.objectContaining({ ruleVersion: '2026.3-test', clause: 'entry-level-exam' })]);
    expect(after.qualified).toBeGreaterThan(before.admin);
    // The superseded rule's figures stay as they were.
    expect((await call('GET', '/v1/progress?rule=2026.2', { token: admin })).json.qualified).toBe(before.admin);
    expect((await recount()).differences).toEqual([]);
    // Back to the shipped rule for any later test of this file.
    const restored = await call('POST', '/v1/counting-rules', { token: admin, body: { rule: base, makeCurrent: true } });
    expect(restored.status).toBe(200);
    await settle(restored);
  });
});
