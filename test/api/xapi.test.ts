import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import XAPI from '@xapi/xapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../infra/local/server';
import { runAggregation } from '../../shared/progress/aggregator';
import { publicBaseUrl } from '../../shared/credentials/settings';
import { call, checkedInvoke, servedViolations } from '../support/api';
import { adminToken, createLearner, learnerToken, providerToken, registerCourse, seedCatalog } from '../support/fixtures';
import { snapshotTable } from '../support/security-snapshot';

/**
 * The xAPI statements resource, driven by a real xAPI client library (@xapi/xapi, over
 * HTTP to the local host's server), and by requests written from the statement-resource
 * requirements of xAPI 1.0.3 (Part Three, 2.1 Statement Resource).
 */
const ACTIVITY = 'https://lms.example.jp/course/42';
const HOME = publicBaseUrl();
const learnerAgent = (learnerId: string) => ({ objectType: 'Agent' as const, name: '山田 太郎', account: { homePage: HOME, name: learnerId } });
const completed = (learnerId: string, id: string, timestamp = '2025-06-01T10:00:00+09:00') => ({
  id,
  actor: learnerAgent(learnerId),
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'ja-JP': '修了した' } },
  object: { objectType: 'Activity' as const, id: ACTIVITY },
  result: { completion: true },
  timestamp,
});

let server: Server;
let lrs: XAPI;
let key: string;
let secret: string;
let provider: string;
let admin: string;
const raw = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(method, url, {
    ...(body !== undefined ? { body } : {}),
    headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'x-experience-api-version': '1.0.3', ...headers },
  });

async function exactCounts() {
  await runAggregation();
  const report = (await call('GET', '/v1/progress', { token: admin })).json;
  return { qualified: report.qualified as number, verified: report.completions.verified as number };
}

async function completionsOf(learnerId: string) {
  const res = await call('GET', `/v1/learners/${learnerId}/completions`, { token: await learnerToken(learnerId) });
  expect(res.status, res.text).toBe(200);
  return res.json.completions as { courseId: string; completedOn: string; status: string }[];
}

beforeAll(async () => {
  await seedCatalog();
  admin = await adminToken();
  provider = await providerToken('prov-lms');
  const courseId = await registerCourse(provider, { title: 'LMS 認定講座', certification: true, skills: [{ skill: 'data-platform-design', level: 'b' }] });
  for (const id of ['xapi-l1', 'xapi-l2']) await createLearner(id, {}, { linkProviders: ['prov-lms'] });
  await createLearner('xapi-unlinked');

  const issued = await call('POST', '/v1/xapi/credentials', { token: provider });
  expect(issued.status, issued.text).toBe(201);
  ({ key, secret } = issued.json);
  const registered = await call('PUT', `/v1/courses/${courseId}/xapi-activities`, { token: provider, body: { activityId: ACTIVITY } });
  expect(registered.status, registered.text).toBe(201);
  expect((await call('PUT', `/v1/courses/${courseId}/xapi-activities`, { token: provider, body: { activityId: ACTIVITY } })).status).toBe(200);

  // The checked invoker: what the xAPI client receives over HTTP is held to /openapi.json like every `call`.
  server = await startHttpServer(0, checkedInvoke);
  lrs = new XAPI({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/`, auth: XAPI.toBasicAuth(key, secret), version: '1.0.3' });
}, 60_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
// The server turns a violation into a bare 500; this names the answer that broke the document.
afterEach(() => expect(servedViolations.splice(0)).toEqual([]));

describe('xAPI statements from a learning system (@xapi/xapi client)', () => {
  it('answers the About resource', async () => {
    const about = await lrs.getAbout();
    expect(about.data.version).toContain('1.0.3');
  });

  it('turns completed and passed statements into verified completions, once, whatever the retries; progress counts them once', async () => {
    const before = await exactCounts();
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    const first = await lrs.sendStatement({ statement: completed('xapi-l1', id) });
    expect(first.data).toEqual([id]);
    // A retry (the network dropped the answer): same id, same content.
    expect((await lrs.sendStatement({ statement: completed('xapi-l1', id) })).data).toEqual([id]);

    const batch = [
      { ...completed('xapi-l2', 'a1b2c3d4-0000-4000-8000-000000000002'), verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: true } },
      { ...completed('xapi-l2', 'a1b2c3d4-0000-4000-8000-000000000003'), verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } },
      completed('xapi-unlinked', 'a1b2c3d4-0000-4000-8000-000000000004'),
      // No id: the LRS assigns one.
      { ...completed('xapi-l2', 'x'), id: undefined, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } },
    ];
    const sent = await lrs.sendStatements({ statements: batch as never });
    expect(sent.data).toHaveLength(4);
    expect(sent.data.slice(0, 3)).toEqual(batch.slice(0, 3).map((s) => s.id));
    expect(sent.data[3]).toMatch(/^[0-9a-f-]{36}$/);
    // The whole batch again (ids assigned by the LRS aside): nothing changes.
    expect((await lrs.sendStatements({ statements: batch.slice(0, 3) as never })).data).toEqual(batch.slice(0, 3).map((s) => s.id));

    expect(await completionsOf('xapi-l1')).toEqual([expect.objectContaining({ completedOn: '2025-06-01', status: 'verified' })]);
    expect(await completionsOf('xapi-l2')).toEqual([expect.objectContaining({ completedOn: '2025-06-01', status: 'verified' })]);
    // Not linked to the provider: the statement is stored, no completion is made.
    expect(await completionsOf('xapi-unlinked')).toEqual([]);

    const after = await exactCounts();
    expect(after.verified - before.verified).toBe(2);
    expect(after.qualified - before.qualified).toBe(2);
  });

  it('reaches a learner through the account name the provider mapped for them, only while they keep the provider linked', async () => {
    const mapped = await call('POST', '/v1/xapi/accounts', { token: provider, body: { accountName: 'lms-user-0042', learnerId: 'xapi-l1' } });
    expect(mapped.status, mapped.text).toBe(200);
    // A learner who has not linked the provider: the answer an unknown learner gets.
    const unlinked = await call('POST', '/v1/xapi/accounts', { token: provider, body: { accountName: 'lms-user-0099', learnerId: 'xapi-unlinked' } });
    const unknown = await call('POST', '/v1/xapi/accounts', { token: provider, body: { accountName: 'lms-user-0099', learnerId: 'nobody-at-all' } });
    expect([unlinked.status, unlinked.json.detail]).toEqual([unknown.status, unknown.json.detail]);
    expect(unlinked.status).toBe(422);
    // A learner cannot say which account is theirs.
    expect(
      (await call('POST', '/v1/xapi/accounts', { token: await learnerToken('xapi-l2'), body: { accountName: 'lms-user-0042', learnerId: 'xapi-l2' } })).status,
    ).toBe(403);

    const lmsAgent = { objectType: 'Agent' as const, account: { homePage: 'https://lms.example.jp', name: 'lms-user-0042' } };
    const atTheLms = { ...completed('ignored', 'a1b2c3d4-0000-4000-8000-000000000042', '2025-08-01T10:00:00+09:00'), actor: lmsAgent };
    expect((await lrs.sendStatement({ statement: atTheLms })).data).toEqual(['a1b2c3d4-0000-4000-8000-000000000042']);
    expect((await completionsOf('xapi-l1')).map((c) => c.completedOn)).toContain('2025-08-01');
    const exported = await call('GET', '/v1/learners/me/export', { token: await learnerToken('xapi-l1') });
    expect(exported.json.providerLinks).toEqual([expect.objectContaining({ providerId: 'prov-lms', lmsAccounts: ['lms-user-0042'] })]);

    // Unlinked, the name stands for nobody: a later statement about it changes nothing.
    expect((await call('DELETE', '/v1/learners/me/providers/prov-lms', { token: await learnerToken('xapi-l1') })).status).toBe(200);
    await lrs.sendStatement({ statement: { ...atTheLms, id: 'a1b2c3d4-0000-4000-8000-000000000043', timestamp: '2025-09-01T10:00:00+09:00' } });
    expect((await completionsOf('xapi-l1')).map((c) => c.completedOn)).not.toContain('2025-09-01');
  });

  it('gives the statement back as stored: with the LRS authority, without names or e-mail addresses', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    const got = await lrs.getStatement({ statementId: id });
    expect(got.data.id).toBe(id);
    expect(got.data.actor).toEqual({ objectType: 'Agent', account: { homePage: HOME, name: 'xapi-l1' } });
    expect(got.data.stored).toMatch(/^\d{4}-/);
    expect(got.data.authority).toBeDefined();
    expect(got.headers['x-experience-api-version']).toBe('1.0.3');
  });
});

describe('the statement resource, as xAPI 1.0.3 requires it', () => {
  it('refuses the same id with other content (409) and stores nothing of the request', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    const before = await snapshotTable();
    const other = raw('POST', '/xapi/statements', [
      completed('xapi-l2', 'a1b2c3d4-0000-4000-8000-0000000000aa'),
      completed('xapi-l1', id, '2025-07-01T10:00:00+09:00'),
    ]);
    expect((await other).status).toBe(409);
    const put = await raw('PUT', `/xapi/statements?statementId=${id}`, completed('xapi-l1', id, '2025-07-01T10:00:00+09:00'));
    expect(put.status).toBe(409);
    expect(await snapshotTable()).toEqual(before);
  });

  it('stores with PUT (204), idempotently; the id in the body must match the parameter', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000010';
    expect((await raw('PUT', `/xapi/statements?statementId=${id}`, completed('xapi-l2', id))).status).toBe(204);
    expect((await raw('PUT', `/xapi/statements?statementId=${id}`, completed('xapi-l2', id))).status).toBe(204);
    expect((await raw('PUT', `/xapi/statements?statementId=${id}`, completed('xapi-l2', 'a1b2c3d4-0000-4000-8000-000000000011'))).status).toBe(400);
    expect((await raw('GET', `/xapi/statements?statementId=${id}`)).json.id).toBe(id);
  });

  it('refuses bad statements and requests with a 4xx, and writes nothing', async () => {
    const before = await snapshotTable();
    const id = 'a1b2c3d4-0000-4000-8000-000000000020';
    const bad: [string, unknown, Record<string, string>?][] = [
      ['no version header', completed('xapi-l1', id), { 'x-experience-api-version': '' }],
      ['unknown top-level property', { ...completed('xapi-l1', id), grade: 'A' }],
      ['attachments (not supported)', { ...completed('xapi-l1', id), attachments: [] }],
      ['agent with two identifiers', { ...completed('xapi-l1', id), actor: { mbox: 'mailto:a@example.jp', account: { homePage: HOME, name: 'x' } } }],
      ['verb id not an IRI', { ...completed('xapi-l1', id), verb: { id: 'completed' } }],
      ['id not a UUID', { ...completed('xapi-l1', id), id: 'not-a-uuid' }],
      ['timestamp without zone', { ...completed('xapi-l1', id), timestamp: '2025-06-01T10:00:00' }],
      ['batch over 50', Array.from({ length: 51 }, () => completed('xapi-l1', id))],
      ['empty batch', []],
      ['same id twice in a batch with other content', [completed('xapi-l1', id), completed('xapi-l2', id)]],
      [
        'a statement over 64 KiB (it would not fit one item) after a valid one',
        [
          completed('xapi-l2', 'a1b2c3d4-0000-4000-8000-000000000021'),
          { ...completed('xapi-l1', id), context: { extensions: { 'https://lms.example.jp/x': 'x'.repeat(70 * 1024) } } },
        ],
      ],
    ];
    for (const [what, body, headers] of bad) {
      const res = await raw('POST', '/xapi/statements', body, headers);
      expect(res.status, `${what}: ${res.text}`).toBe(400);
    }
    expect((await raw('GET', '/xapi/statements?statementId=a1b2c3d4-0000-4000-8000-0000000000ff')).status).toBe(404);
    const wrongSecret = await call('POST', '/xapi/statements', {
      body: completed('xapi-l1', id),
      headers: { authorization: `Basic ${Buffer.from(`${key}:wrong`).toString('base64')}`, 'x-experience-api-version': '1.0.3' },
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers['www-authenticate']).toMatch(/^Basic/);
    expect(
      (await call('POST', '/xapi/statements', { body: completed('xapi-l1', id), token: provider, headers: { 'x-experience-api-version': '1.0.3' } })).status,
    ).toBe(401);
    expect(await snapshotTable()).toEqual(before);
  });

  it('keeps a member named timestamp inside extensions as the LMS sent it, whatever its value', async () => {
    const odd = {
      ...completed('xapi-l1', 'a1b2c3d4-0000-4000-8000-000000000022'),
      context: { extensions: { 'https://lms.example.jp/y': { timestamp: 'x' } } },
    };
    const sent = await raw('POST', '/xapi/statements', odd);
    expect(sent.status, sent.text).toBe(200);
    expect((await raw('POST', '/xapi/statements', odd)).status).toBe(200);
  });

  it("lists only the caller's statements, without names", async () => {
    const other = await call('POST', '/v1/xapi/credentials', { token: await providerToken('prov-other-lms') });
    const otherAuth = `Basic ${Buffer.from(`${other.json.key}:${other.json.secret}`).toString('base64')}`;
    const theirs = await call('GET', '/xapi/statements', { headers: { authorization: otherAuth, 'x-experience-api-version': '1.0.3' } });
    expect(theirs.json).toEqual({ statements: [], more: '' });
    const mine = await raw('GET', '/xapi/statements?limit=100');
    expect(mine.status).toBe(200);
    expect(mine.json.statements.length).toBeGreaterThanOrEqual(5);
    expect(mine.text).not.toContain('山田');
    expect(
      (
        await call('GET', `/xapi/statements?statementId=a1b2c3d4-0000-4000-8000-000000000001`, {
          headers: { authorization: otherAuth, 'x-experience-api-version': '1.0.3' },
        })
      ).status,
    ).toBe(404);
  });
});
