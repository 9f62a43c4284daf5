import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_REPORTABLE_LEARNER } from '../../shared/domain/completions';
import { runAggregation } from '../../shared/progress/aggregator';
import { call, tokenFor } from '../support/api';
import { adminToken, centerToken, courseBody, createLearner, learnerToken, profileBody, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

let provider: string;
let otherProvider: string;
let courseId: string;
let certificationId: string;

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-a');
  otherProvider = await providerToken('prov-b');
  courseId = await registerCourse(provider);
  certificationId = await registerCourse(provider, { title: 'ITパスポート対策', certification: true, skills: [{ skill: 'technology-trends', level: 'd' }] });
});

describe('courses', () => {
  it('registers a course for the provider and serves it publicly', async () => {
    const res = await call('GET', `/v1/courses/${courseId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ providerId: 'prov-a', catalogVersion: '1.2', certification: false });
    expect(res.json.skills).toContainEqual({ skill: 'data-platform-design', level: 'a' });
  });

  it('refuses items that are not in the catalog version, with the item named', async () => {
    const res = await call('POST', '/v1/courses', { token: provider, body: courseBody({ skills: [{ skill: 'alchemy', level: 'a' }] }) });
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain('"alchemy"');
    const badVersion = await call('POST', '/v1/courses', { token: provider, body: courseBody({ catalogVersion: '9.9' }) });
    expect(badVersion.status).toBe(422);
  });

  it('refuses unknown fields, bad levels, and callers that are not providers', async () => {
    expect((await call('POST', '/v1/courses', { token: provider, body: { ...courseBody(), providerId: 'prov-b' } })).status).toBe(400);
    expect((await call('POST', '/v1/courses', { token: provider, body: courseBody({ skills: [{ skill: 'data-platform-design', level: 'z' }] }) })).status).toBe(
      400,
    );
    expect((await call('POST', '/v1/courses', { token: await learnerToken('l-x'), body: courseBody() })).status).toBe(403);
    expect((await call('POST', '/v1/courses', { body: courseBody() })).status).toBe(401);
  });

  it('refuses a body with a repeated key, at the top or nested, naming it, and stores nothing', async () => {
    const token = await providerToken('prov-dupkey');
    const valid = JSON.stringify(courseBody({ title: 'Duplicate me' }));
    const topLevel = `${valid.slice(0, -1)},"title":"Other title"}`;
    const nested = valid.replace('"level":"b"', '"level":"b","level":"z"');
    expect(nested).not.toBe(valid);
    const top = await call('POST', '/v1/courses', { token, raw: { contentType: 'application/json', data: topLevel } });
    expect(top.status).toBe(400);
    expect(top.headers['content-type']).toBe('application/problem+json');
    expect(top.json.type).toBe('urn:kanryu:problem:validation-failed');
    expect(top.json.detail).toBe('body title: duplicate key "title"');
    expect(top.json.errors).toEqual([{ in: 'body', field: 'title', message: 'duplicate key "title"' }]);
    const inner = await call('POST', '/v1/courses', { token, raw: { contentType: 'application/json', data: nested } });
    expect(inner.status).toBe(400);
    expect(inner.json.errors).toEqual([{ in: 'body', field: 'skills[1].level', message: 'duplicate key "level"' }]);
    expect((await call('GET', '/v1/courses?provider=prov-dupkey')).json.courses).toEqual([]);
  });

  it('finds courses by item, by role and by provider', async () => {
    const byItem = await call('GET', '/v1/courses?item=data-platform-design');
    expect(byItem.json.courses.map((c: { courseId: string }) => c.courseId)).toContain(courseId);
    const byRole = await call('GET', '/v1/courses?role=data-engineer');
    expect(byRole.json.courses.map((c: { courseId: string }) => c.courseId)).toContain(courseId);
    const byProvider = await call('GET', '/v1/courses?provider=prov-a');
    expect(byProvider.json.courses).toHaveLength(2);
    expect((await call('GET', '/v1/courses')).status).toBe(422);
    expect((await call('GET', '/v1/courses?item=data-platform-design&limit=1000')).status).toBe(400);
  });

  it('replays a course registration retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'course-key-0001' };
    const first = await call('POST', '/v1/courses', { token: provider, body: courseBody({ title: 'Retry me' }), headers });
    const again = await call('POST', '/v1/courses', { token: provider, body: courseBody({ title: 'Retry me' }), headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.courseId).toBe(first.json.courseId);
    const different = await call('POST', '/v1/courses', { token: provider, body: courseBody({ title: 'Other' }), headers });
    expect(different.status).toBe(422);
    expect(different.json.type).toBe('urn:kanryu:problem:idempotency-key-reused');
  });
});

describe('learner profile', () => {
  it('creates, reads back with contact, and derives the prefecture from the municipality code', async () => {
    const token = await learnerToken('l-profile');
    const created = await call('PUT', '/v1/learners/me', { token, body: profileBody() });
    expect(created.status).toBe(201);
    expect(created.json.residence).toEqual({ prefecture: '13', municipality: '131016' });
    expect(created.json.consent.matching).toBe(true);
    const me = await call('GET', '/v1/learners/me', { token });
    expect(me.json.contact).toEqual({ name: '山田 太郎', email: 'taro@example.jp', phone: '03-1234-5678' });
    const replaced = await call('PUT', '/v1/learners/me', { token, body: profileBody({ matchingConsent: false, contact: undefined }) });
    expect(replaced.status).toBe(200);
    expect(replaced.json.consent.matching).toBe(false);
    expect(replaced.json.contact.name).toBe('山田 太郎');
  });

  it('refuses a wrong check digit, a mismatched prefecture, full-width digits and unknown fields', async () => {
    const token = await learnerToken('l-bad');
    const wrongDigit = await call('PUT', '/v1/learners/me', { token, body: profileBody({ residence: { municipality: '131017' } }) });
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.json.errors[0].field).toBe('residence.municipality');
    const mismatch = await call('PUT', '/v1/learners/me', { token, body: profileBody({ residence: { municipality: '131016', prefecture: '27' } }) });
    expect(mismatch.status).toBe(422);
    expect((await call('PUT', '/v1/learners/me', { token, body: profileBody({ residence: { municipality: '１３１０１６' } }) })).status).toBe(400);
    expect((await call('PUT', '/v1/learners/me', { token, body: { ...profileBody(), role: 'admin' } })).status).toBe(400);
    expect((await call('GET', '/v1/learners/me', { token })).status).toBe(404);
  });
});

describe('completions', () => {
  it('takes a self-report with evidence, refuses one without, and future or implausible dates', async () => {
    const token = await createLearner('l-self');
    const noEvidence = await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2025-06-01' } });
    expect(noEvidence.status).toBe(422);
    const future = await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2099-01-01', evidence: { certificateNumber: 'X1' } } });
    expect(future.status).toBe(422);
    const implausible = await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '1975-03-31', evidence: { certificateNumber: 'X1' } } });
    expect(implausible.status).toBe(422);
    expect(implausible.json.detail).toContain('1980-01-01');
    const ok = await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2025-06-01', evidence: { certificateNumber: 'X1' } } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ status: 'self-reported', fiscalYear: 2025, completedOn: '2025-06-01' });
    const repeat = await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2025-06-01', evidence: { certificateNumber: 'X1' } } });
    expect(repeat.status).toBe(200);
    expect(repeat.json.completionId).toBe(ok.json.completionId);
  });

  it('tells a provider the same for an unknown learner id as for a learner without a profile', async () => {
    // An account that reaches the API but never created a profile.
    expect((await call('GET', '/v1/learners/me', { token: await learnerToken('l-post-bare') })).status).toBe(404);
    const unknown = await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-post-nobody', courseId, completedOn: '2025-06-01' } });
    const bare = await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-post-bare', courseId, completedOn: '2025-06-01' } });
    expect(unknown.status).toBe(422);
    expect(bare.status).toBe(422);
    expect(bare.json.type).toBe(unknown.json.type);
    expect(bare.json.detail).toBe(unknown.json.detail);
    expect(unknown.json.detail).toBe(NOT_REPORTABLE_LEARNER);
  });

  it('lets the provider verify a self-reported completion of its course, and no one else', async () => {
    await createLearner('l-verify', {}, { linkProviders: ['prov-a'] });
    const token = await learnerToken('l-verify');
    await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2025-07-01', evidence: { url: 'https://example.jp/cert/1' } } });
    const foreign = await call('POST', '/v1/completions', { token: otherProvider, body: { learnerId: 'l-verify', courseId, completedOn: '2025-07-01' } });
    expect(foreign.status).toBe(403);
    const verified = await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-verify', courseId, completedOn: '2025-07-01' } });
    expect(verified.status).toBe(200);
    expect(verified.json.status).toBe('verified');
    const list = await call('GET', '/v1/learners/l-verify/completions', { token });
    expect(list.json.completions).toHaveLength(1);
    expect(list.json.completions[0].status).toBe('verified');
  });

  it('leaves exactly one completion after 50 identical concurrent requests', async () => {
    const token = await createLearner('l-burst');
    const body = { courseId, completedOn: '2025-08-01', evidence: { certificateNumber: 'B-1' } };
    const answers = await Promise.all(Array.from({ length: 50 }, () => call('POST', '/v1/completions', { token, body })));
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json.completionId)).size).toBe(1);
    const list = await call('GET', '/v1/learners/l-burst/completions', { token });
    expect(list.json.completions).toHaveLength(1);
  });

  it('gives every retry with the same Idempotency-Key the first answer, even 20 at once', async () => {
    const token = await createLearner('l-key');
    const body = { courseId, completedOn: '2025-09-01', evidence: { certificateNumber: 'K-1' } };
    const headers = { 'idempotency-key': 'completion-key-0001' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/v1/completions', { token, body, headers })));
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    const retry = await call('POST', '/v1/completions', { token, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await call('GET', '/v1/learners/l-key/completions', { token })).json.completions).toHaveLength(1);
  });
});

describe('skills, tags and qualification', () => {
  it('shows items, DSS-L coverage, role readiness and tags, each explained by its completion', async () => {
    const token = await createLearner('l-skills', {}, { linkProviders: ['prov-a'] });
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-skills', courseId, completedOn: '2025-05-10' } });
    const res = await call('GET', '/v1/learners/l-skills/skills', { token });
    expect(res.status).toBe(200);
    const standing = res.json.versions.find((v: { version: string }) => v.version === '1.2');
    expect(standing.provisional).toBe(true);
    const platform = standing.skills.find((s: { id: string }) => s.id === 'data-platform-design');
    expect(platform.verified).toEqual({ level: 'a', completions: [`2025-05-10.${courseId}`] });
    expect(standing.literacy).toMatchObject({ covered: 1, total: 23 });
    const engineer = standing.roles.find((r: { roleId: string }) => r.roleId === 'data-engineer');
    expect(engineer.readiness).toBeGreaterThan(0);
    expect(engineer.met).toContain('data-platform-design');
    expect(engineer.missing.length).toBeGreaterThan(0);
    expect(standing.tags).toContain('dss-p:1.2:skill:data-platform-design:a');
    expect(engineer.missing.find((m: { skillId: string }) => m.skillId === 'data-platform-operations')).toEqual({
      skillId: 'data-platform-operations',
      required: 'a',
      attained: 'b',
    });
    expect(res.json.suggestions.roles.length).toBeGreaterThan(0);
  });

  it('keeps self-reported evidence apart: it never makes a tag', async () => {
    const token = await createLearner('l-selftags');
    await call('POST', '/v1/completions', { token, body: { courseId, completedOn: '2025-05-10', evidence: { certificateNumber: 'S' } } });
    const res = await call('GET', '/v1/learners/l-selftags/skills', { token });
    const standing = res.json.versions[0];
    const platform = standing.skills.find((s: { id: string }) => s.id === 'data-platform-design');
    expect(platform.selfReported.level).toBe('a');
    expect(platform.verified).toBeUndefined();
    expect(standing.tags).toEqual([]);
    expect(res.json.qualifications).toEqual([]);
  });

  it('records the qualification dated by its evidence, and moves it earlier when earlier evidence arrives', async () => {
    const token = await createLearner('l-qualify', {}, { linkProviders: ['prov-a'] });
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-qualify', courseId: certificationId, completedOn: '2024-10-01' } });
    const fields = { ruleVersion: '2026.2', qualifiedOn: '2024-10-01', fiscalYear: 2024, clause: 'accredited-certification', prefecture: '13' };
    const qualification = expect.objectContaining(fields);
    // Right after the POST, derived on read and marked pending; the job records it.
    const before = (await call('GET', '/v1/learners/l-qualify/skills', { token })).json.qualifications;
    expect(before).toEqual([expect.objectContaining({ ...fields, pending: true })]);
    await runAggregation();
    const first = (await call('GET', '/v1/learners/l-qualify/skills', { token })).json.qualifications;
    expect(first).toEqual([qualification]);
    expect(first[0].pending).toBeUndefined();
    // A later certification changes nothing; an earlier-dated one, reported late, moves the day.
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-qualify', courseId: certificationId, completedOn: '2025-02-01' } });
    await runAggregation();
    expect((await call('GET', '/v1/learners/l-qualify/skills', { token })).json.qualifications).toEqual(first);
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-qualify', courseId: certificationId, completedOn: '2023-01-05' } });
    await runAggregation();
    const moved = (await call('GET', '/v1/learners/l-qualify/skills', { token })).json.qualifications;
    expect(moved).toEqual([
      expect.objectContaining({
        ...fields,
        qualifiedOn: '2023-01-05',
        fiscalYear: 2022,
        revisions: [
          expect.objectContaining({
            from: { qualifiedOn: '2024-10-01', fiscalYear: 2024 },
            to: { qualifiedOn: '2023-01-05', fiscalYear: 2022 },
            reason: 'earlier-evidence',
          }),
        ],
      }),
    ]);
  });
});

describe('evidence from before the target window', () => {
  it('builds the skill profile and counts toward no target figure', async () => {
    const token = await createLearner('l-early', {}, { linkProviders: ['prov-a'] });
    const totals = async () => {
      const progress = (await call('GET', '/v1/progress', { token: await adminToken() })).json;
      return { completions: progress.completions, qualified: progress.qualified };
    };
    await runAggregation();
    const before = await totals();
    const early = await call('POST', '/v1/completions', {
      token: provider,
      body: { learnerId: 'l-early', courseId: certificationId, completedOn: '2019-10-20' },
    });
    expect(early.status, early.text).toBe(201);
    expect(early.json).toMatchObject({ completedOn: '2019-10-20', fiscalYear: 2019, status: 'verified' });
    await runAggregation();
    const skills = (await call('GET', '/v1/learners/l-early/skills', { token })).json;
    expect(skills.completionCount).toBe(1);
    expect(skills.certifications.length).toBeGreaterThan(0);
    // Its qualification is dated by that evidence, before the window: in no figure toward 2.3 million.
    expect(skills.qualifications).toEqual([expect.objectContaining({ qualifiedOn: '2019-10-20', fiscalYear: 2019 })]);
    expect(await totals()).toEqual(before);
  });
});

describe('bulk import', () => {
  it('stores the good rows, reports the bad by row, and changes nothing on a second upload', async () => {
    await createLearner('l-csv-1', {}, { linkProviders: ['prov-a'] });
    await createLearner('l-csv-2', {}, { linkProviders: ['prov-a'] });
    const csv = [
      '\uFEFFlearner_id,course_id,completed_on,certificate_number',
      `l-csv-1,${courseId},2025-04-02,C-1`,
      `l-csv-2,${courseId},2025-04-03,`,
      `l-csv-1,${courseId},2025-04-02,C-1`,
      `l-csv-1,crs_00000000000000000000,2025-04-02,`,
      `nobody,${courseId},2025-04-02,`,
      `l-csv-2,${courseId},2099-01-01,`,
      `l-csv-2,${courseId},not-a-date,`,
      `l-csv-2,${courseId}`,
    ].join('\r\n');
    const upload = () => call('POST', '/v1/completions/import', { token: provider, raw: { contentType: 'text/csv', data: Buffer.from(csv, 'utf8') } });
    const first = await upload();
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ rows: 8, stored: 2, verified: 0, unchanged: 0 });
    expect(first.json.rejected.map((r: { row: number }) => r.row)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(first.json.rejected[0].reason).toContain('duplicate of row 2');
    const second = await upload();
    expect(second.json).toMatchObject({ rows: 8, stored: 0, verified: 0, unchanged: 2 });
    const list = await call('GET', '/v1/learners/l-csv-1/completions', { token: await learnerToken('l-csv-1') });
    expect(list.json.completions).toHaveLength(1);
  });

  it('gives byte-identical reasons for an unknown learner id and a learner without a profile', async () => {
    // An account that reaches the API but never created a profile.
    expect((await call('GET', '/v1/learners/me', { token: await learnerToken('l-csv-bare') })).status).toBe(404);
    const csv = `learner_id,course_id,completed_on\nl-csv-nobody,${courseId},2025-04-02\nl-csv-bare,${courseId},2025-04-02\n`;
    const res = await call('POST', '/v1/completions/import', { token: provider, raw: { contentType: 'text/csv', data: csv } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ rows: 2, stored: 0 });
    const [unknown, bare] = res.json.rejected as { row: number; reason: string }[];
    expect([unknown!.row, bare!.row]).toEqual([2, 3]);
    expect(Buffer.from(bare!.reason).equals(Buffer.from(unknown!.reason))).toBe(true);
    expect(unknown!.reason).toBe(NOT_REPORTABLE_LEARNER);
  });

  it('derives skills for imported completions in the pending-records job', async () => {
    await createLearner('l-csv-3', {}, { linkProviders: ['prov-a'] });
    const csv = `learner_id,course_id,completed_on\nl-csv-3,${certificationId},2025-04-05\n`;
    await call('POST', '/v1/completions/import', { token: provider, raw: { contentType: 'text/csv', data: csv } });
    await runAggregation();
    const skills = await call('GET', '/v1/learners/l-csv-3/skills', { token: await learnerToken('l-csv-3') });
    expect(skills.json.qualifications).toHaveLength(1);
  });

  it('refuses a file that is neither UTF-8 nor Shift_JIS, has a bad header or is not CSV', async () => {
    // 0xFF is valid in neither encoding (Shift_JIS files are test/api/csv-files.test.ts).
    const neither = Buffer.from([0x83, 0x65, 0x83, 0x58, 0xff, 0x0a]);
    const notText = await call('POST', '/v1/completions/import', { token: provider, raw: { contentType: 'text/csv', data: neither } });
    expect(notText.status).toBe(422);
    expect(notText.json.detail).toContain('neither UTF-8 nor Shift_JIS');
    const header = await call('POST', '/v1/completions/import', { token: provider, raw: { contentType: 'text/csv', data: 'who,what\n1,2\n' } });
    expect(header.status).toBe(422);
    const json = await call('POST', '/v1/completions/import', { token: provider, body: { rows: [] } });
    expect(json.status).toBe(415);
    const learner = await call('POST', '/v1/completions/import', { token: await learnerToken('l-csv-1'), raw: { contentType: 'text/csv', data: 'x' } });
    expect(learner.status).toBe(403);
  });
});

describe('who may read a learner', () => {
  it('lets a learner read only their own data', async () => {
    await createLearner('l-own');
    const other = await createLearner('l-other');
    expect((await call('GET', '/v1/learners/l-own/skills', { token: other })).status).toBe(403);
    expect((await call('GET', '/v1/learners/l-own/completions', { token: other })).status).toBe(403);
    expect((await call('GET', '/v1/learners/l-own', { token: other })).status).toBe(403);
  });

  it('lets a center read consenting learners of its prefecture only, and never their contact', async () => {
    await createLearner('l-tottori', { workPrefectures: ['31'] });
    await createLearner('l-private', { workPrefectures: ['31'], matchingConsent: false });
    const tottori = await centerToken('31');
    const osaka = await centerToken('27');
    const profile = await call('GET', '/v1/learners/l-tottori', { token: tottori });
    expect(profile.status).toBe(200);
    expect(profile.json.contact).toBeUndefined();
    expect(JSON.stringify(profile.json)).not.toContain('example.jp');
    expect((await call('GET', '/v1/learners/l-tottori/skills', { token: tottori })).status).toBe(200);
    expect((await call('GET', '/v1/learners/l-tottori', { token: osaka })).status).toBe(404);
    expect((await call('GET', '/v1/learners/l-private', { token: tottori })).status).toBe(404);
    expect((await call('GET', '/v1/learners/nobody-at-all', { token: tottori })).status).toBe(404);
  });

  it('hides a learner from the center the moment they revoke consent', async () => {
    const token = await createLearner('l-revoke', { workPrefectures: ['31'] });
    const tottori = await centerToken('31');
    expect((await call('GET', '/v1/learners/l-revoke', { token: tottori })).status).toBe(200);
    await call('PUT', '/v1/learners/me', { token, body: profileBody({ workPrefectures: ['31'], matchingConsent: false }) });
    expect((await call('GET', '/v1/learners/l-revoke', { token: tottori })).status).toBe(404);
  });

  it('shows a provider only the completions of its own courses; other roles are refused', async () => {
    await createLearner('l-two-providers', {}, { linkProviders: ['prov-a', 'prov-b'] });
    const otherCourse = await registerCourse(otherProvider, { title: 'Other provider course' });
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'l-two-providers', courseId, completedOn: '2025-05-01' } });
    await call('POST', '/v1/completions', { token: otherProvider, body: { learnerId: 'l-two-providers', courseId: otherCourse, completedOn: '2025-05-02' } });
    const seen = await call('GET', '/v1/learners/l-two-providers/completions', { token: provider });
    expect(seen.json.completions.map((c: { courseId: string }) => c.courseId)).toEqual([courseId]);
    expect((await call('GET', '/v1/learners/l-two-providers/skills', { token: provider })).status).toBe(403);
    const employer = await tokenFor({ sub: 'e', role: 'employer', org: '7123456789012' });
    expect((await call('GET', '/v1/learners/l-two-providers/completions', { token: employer })).status).toBe(403);
    expect((await call('GET', '/v1/learners/l-two-providers', { token: await adminToken() })).status).toBe(200);
  });
});
