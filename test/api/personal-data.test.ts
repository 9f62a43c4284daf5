import { beforeAll, describe, expect, it } from 'vitest';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { call } from '../support/api';
import { adminToken, centerToken, createLearner, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

let provider: string;
let certification: string;

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-appi');
  certification = await registerCourse(provider, { certification: true });
});

describe('APPI: export and erasure', () => {
  it('exports everything held about the learner, including who read it', async () => {
    const token = await createLearner('appi-export', { workPrefectures: ['31'] });
    await call('POST', '/v1/completions', { token, body: { courseId: certification, completedOn: '2025-04-10', evidence: { certificateNumber: 'CERT-777' } } });
    await call('GET', '/v1/learners/appi-export', { token: await centerToken('31') });
    const res = await call('GET', '/v1/learners/me/export', { token });
    expect(res.status).toBe(200);
    expect(res.json.contact).toEqual({ name: '山田 太郎', email: 'taro@example.jp', phone: '03-1234-5678' });
    expect(res.json.profile.consentHistory).toHaveLength(1);
    expect(res.json.completions[0].evidence).toEqual({ certificateNumber: 'CERT-777' });
    expect(res.json.accessLog).toContainEqual(
      expect.objectContaining({ action: 'read-profile', actor: expect.objectContaining({ role: 'center', prefecture: '31' }) }),
    );
  });

  it('erases personal data everywhere while the anonymous counts stay exact', async () => {
    const token = await createLearner('appi-erase', { workPrefectures: ['31'] }, { linkProviders: ['prov-appi'] });
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'appi-erase', courseId: certification, completedOn: '2025-04-11' } });
    const selfReport = { courseId: certification, completedOn: '2025-04-11', evidence: { url: 'https://example.jp/c/1' } };
    await call('POST', '/v1/completions', { token, body: { ...selfReport, completedOn: '2025-04-12' }, headers: { 'idempotency-key': 'appi-erase-key-1' } });
    await runAggregation();
    const admin = await adminToken();
    const before = (await call('GET', '/v1/progress', { token: admin })).json;

    const erased = await call('DELETE', '/v1/learners/me', { token });
    expect(erased.status).toBe(200);

    expect((await call('GET', '/v1/learners/me', { token })).status).toBe(404);
    expect((await call('GET', '/v1/learners/appi-erase', { token: await centerToken('31') })).status).toBe(404);
    const exported = (await call('GET', '/v1/learners/me/export', { token })).json;
    expect(exported.profile).toBeNull();
    expect(exported.contact).toBeNull();
    expect(exported.completions).toHaveLength(2);
    expect(exported.completions[0].evidence).toBeUndefined();
    expect(JSON.stringify(exported)).not.toMatch(/山田|taro@example\.jp|03-1234-5678|example\.jp\/c\/1/);

    const { db, table } = await import('../../shared/data/client');
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const everything = JSON.stringify((await db.send(new ScanCommand({ TableName: table() }))).Items);
    expect(everything).not.toContain('example.jp/c/1');
    const pools = (
      await db.send(
        new ScanCommand({
          TableName: table(),
          FilterExpression: 'begins_with(pk, :pool) AND sk = :learner',
          ExpressionAttributeValues: { ':pool': 'POOL#', ':learner': 'LEARNER#appi-erase' },
        }),
      )
    ).Items;
    expect(pools).toEqual([]);

    await runAggregation();
    const after = (await call('GET', '/v1/progress', { token: admin })).json;
    expect(after.qualified).toBe(before.qualified);
    expect(after.completions).toEqual(before.completions);
    expect((await recount()).differences).toEqual([]);
  });
});
