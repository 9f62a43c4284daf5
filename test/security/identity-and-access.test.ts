import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signDevClaims, type DevKey, type PoolName } from '../../infra/local/dev-key';
import { call, tokenFor } from '../support/api';
import { runRound } from '../support/rounds';
import {
  adminToken,
  centerToken,
  courseBody,
  createLearner,
  openingBody,
  providerToken,
  registerCourse,
  registerEmployer,
  seedCatalog,
} from '../support/fixtures';

/**
 * Issue 10's attacks, replayed from outside: forged roles, malformed claims, cursors that
 * walk into other providers' records, stored answers that cross accounts or outlive an
 * erasure, and candidate handles anyone could recompute.
 */
const key = (): DevKey => JSON.parse(process.env.KANRYU_TEST_SIGNING_KEY!) as DevKey;
const forge = (pool: PoolName, claims: Record<string, unknown>) => signDevClaims(key(), pool, { token_use: 'id', ...claims });
const me = (token: string) => call('GET', '/v1/me', { token });

beforeAll(seedCatalog);

describe('roles come only from administrators', () => {
  it('makes every learners-pool token a learner, whatever attributes or groups it claims', async () => {
    const selfPromoted = await forge('learner', {
      sub: 'self-made-admin',
      'cognito:groups': ['admin'],
      'custom:role': 'admin',
      'custom:prefecture': '31',
      'custom:org': '7123456789012',
    });
    const res = await me(selfPromoted);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ sub: 'self-made-admin', role: 'learner' });
    expect(res.json.prefecture).toBeUndefined();
    expect(res.json.org).toBeUndefined();
    expect((await call('GET', '/v1/progress?prefecture=31&type=business-architect', { token: selfPromoted })).status).toBe(403);
    expect((await call('POST', '/v1/catalog/versions', { token: selfPromoted, body: {} })).status).toBe(403);
  });

  it('takes a staff role from exactly one role group, never from an attribute', async () => {
    const attributeOnly = await forge('staff', { sub: 'staff-1', 'custom:role': 'admin' });
    expect((await me(attributeOnly)).status).toBe(401);
    const twoRoles = await forge('staff', { sub: 'staff-2', 'cognito:groups': ['admin', 'center'], 'custom:prefecture': '31' });
    const res = await me(twoRoles);
    expect(res.status).toBe(401);
    expect(res.json.claim).toBe('cognito:groups');
    const extraGroup = await forge('staff', { sub: 'staff-3', 'cognito:groups': ['beta-testers', 'center'], 'custom:prefecture': '31' });
    expect((await me(extraGroup)).json).toMatchObject({ role: 'center', prefecture: '31' });
  });

  it('refuses a token of an issuer it does not trust, and one for another audience', async () => {
    const { SignJWT, importJWK } = await import('jose');
    const privateKey = await importJWK(key().privateJwk, 'RS256');
    const sign = (iss: string, aud: string) =>
      new SignJWT({ token_use: 'id', 'cognito:groups': ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: key().privateJwk.kid! })
        .setSubject('outsider')
        .setIssuer(iss)
        .setAudience(aud)
        .setExpirationTime('1h')
        .sign(privateKey);
    expect((await me(await sign('https://evil.example/pool', 'kanryu-local-staff'))).status).toBe(401);
    expect((await me(await sign('https://kanryu.local/staff', 'kanryu-local-learners'))).status).toBe(401);
  });
});

describe('the gateway authorizer for routes both pools call', () => {
  const authorize = async (authorization?: string) => {
    const { handler } = await import('../../functions/auth/authorizer');
    const event = { headers: authorization ? { authorization } : {} } as Parameters<typeof handler>[0];
    return (await handler(event)).isAuthorized;
  };

  it('lets through what either pool signed, and leaves claims to the handler (which names a bad one)', async () => {
    expect(await authorize(`Bearer ${await tokenFor({ sub: 'gw-learner', role: 'learner' })}`)).toBe(true);
    expect(await authorize(`Bearer ${await tokenFor({ sub: 'gw-admin', role: 'admin' })}`)).toBe(true);
    const badClaim = await forge('staff', { sub: 'gw-center', 'cognito:groups': ['center'], 'custom:prefecture': '99' });
    expect(await authorize(`Bearer ${badClaim}`)).toBe(true);
    expect((await me(badClaim)).json.claim).toBe('custom:prefecture');
  });

  it('denies no token, a malformed header, and an expired token', async () => {
    expect(await authorize()).toBe(false);
    expect(await authorize('Basic abc')).toBe(false);
    expect(await authorize(`Bearer ${await forge('learner', { sub: 'gw-old', exp: Math.floor(Date.now() / 1000) - 60 })}`)).toBe(false);
  });
});

describe('token claims are parsed like any input', () => {
  const center = (prefecture: unknown) => forge('staff', { sub: 'center-x', 'cognito:groups': ['center'], 'custom:prefecture': prefecture });

  it.each(['99', '031', ' 31', '31\u0000', '', 31, null])('refuses a center whose prefecture claim is %j (401 naming the claim)', async (prefecture) => {
    const res = await me(await center(prefecture));
    expect(res.status).toBe(401);
    expect(res.json.claim).toBe('custom:prefecture');
    expect(res.json.detail).toContain('custom:prefecture');
  });

  it.each(['evil#PROFILE', '../learner-a', 'ｌｅａｒｎｅｒ', 'a'.repeat(2100), '', 'a b'])('refuses the subject %j (401, never 500)', async (sub) => {
    for (const pool of ['learner', 'staff'] as const) {
      const res = await me(await forge(pool, { sub, 'cognito:groups': ['admin'] }));
      expect(res.status, `${pool}: ${res.text}`).toBe(401);
      expect(res.json.claim).toBe('sub');
    }
  });

  it('answers any claim values with 200 or a 401 naming a claim, never a 5xx', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
      fc.constantFrom('31', '7123456789012', '31202', 'prov-ok'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<PoolName>('learner', 'staff'),
        value,
        value,
        value,
        fc.oneof(value, fc.constantFrom(['center'], ['employer'], ['admin'])),
        async (pool, sub, prefecture, org, groups) => {
          const res = await me(await forge(pool, { sub, 'custom:prefecture': prefecture, 'custom:org': org, 'cognito:groups': groups }));
          expect([200, 401], res.text).toContain(res.status);
          if (res.status === 401) expect(res.json.type).toBe('urn:kanryu:problem:unauthenticated');
          if (res.status === 401 && typeof sub === 'string') expect(['sub', 'custom:prefecture', 'custom:org', 'cognito:groups']).toContain(res.json.claim);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('requires exp and an ID token', async () => {
    const noExpiry = await forge('learner', { sub: 'no-exp', exp: null });
    expect((await me(noExpiry)).json).toMatchObject({ status: 401, claim: 'exp' });
    const { token_use: _omit, ...rest } = { token_use: 'id', sub: 'no-use' };
    const noUse = await signDevClaims(key(), 'learner', rest);
    expect((await me(noUse)).json).toMatchObject({ status: 401, claim: 'token_use' });
    const access = await forge('learner', { sub: 'access-token', token_use: 'access' });
    expect((await me(access)).json).toMatchObject({ status: 401, claim: 'token_use' });
  });

  it('parses the organisation by kind: provider ids, corporate numbers with their check digit', async () => {
    for (const [role, org] of [
      ['provider', 'Prov_1'],
      ['provider', 'ab'],
      ['employer', '1123456789012'],
      ['employer', '312011'],
      ['municipality', '312012'],
      ['municipality', '7123456789012'],
    ] as const) {
      const res = await me(await forge('staff', { sub: 'org-x', 'cognito:groups': [role], 'custom:org': org }));
      expect(res.status, `${role} ${org}`).toBe(401);
      expect(res.json.claim).toBe('custom:org');
    }
  });

  it('lets a municipality whose token carries the 5-digit code register, as the same organisation as the 6-digit form', async () => {
    const five = await tokenFor({ sub: 'yonago-staff', role: 'municipality', org: '31202' });
    const six = await tokenFor({ sub: 'yonago-staff-2', role: 'municipality', org: '312029' });
    expect((await me(five)).json.org).toBe('312029');
    const registered = await call('PUT', '/v1/organisations/me', { token: five, body: { kind: 'municipality', name: '米子市', localGovernmentCode: '31202' } });
    expect(registered.status, registered.text).toBe(201);
    const again = await call('PUT', '/v1/organisations/me', { token: six, body: { kind: 'municipality', name: '米子市', localGovernmentCode: '312029' } });
    expect(again.status, again.text).toBe(200);
    expect((await call('GET', '/v1/organisations/me', { token: six })).json).toMatchObject({ id: '312029', name: '米子市' });
  });
});

describe('cursors are sealed, bound and never point at what the caller may not see', () => {
  let providerA: string;
  let providerB: string;
  let learner: string;

  beforeAll(async () => {
    providerA = await providerToken('cursor-prov-a');
    providerB = await providerToken('cursor-prov-b');
    const courseA = await registerCourse(providerA);
    const courseB = await registerCourse(providerB);
    learner = await createLearner('cursor-learner', {}, { linkProviders: ['cursor-prov-a', 'cursor-prov-b'] });
    // Interleaved by date: B, A, B, A, B.
    const report = (token: string, courseId: string, completedOn: string) =>
      call('POST', '/v1/completions', { token, body: { learnerId: 'cursor-learner', courseId, completedOn } });
    for (const [token, course, day] of [
      [providerB, courseB, '01'],
      [providerA, courseA, '02'],
      [providerB, courseB, '03'],
      [providerA, courseA, '04'],
      [providerB, courseB, '05'],
    ] as const) {
      expect((await report(token, course, `2025-05-${day}`)).status).toBe(201);
    }
  });

  const list = (token: string, query: string) => call('GET', `/v1/learners/cursor-learner/completions?${query}`, { token });

  it('pages a provider through its own completions only, full pages, and no cursor after the last', async () => {
    const first = await list(providerA, 'limit=1');
    expect(first.status).toBe(200);
    expect(first.json.completions.map((c: { completedOn: string }) => c.completedOn)).toEqual(['2025-05-02']);
    expect(first.json.cursor).toBeDefined();
    // Opaque: neither base64 JSON nor anything naming a course or date.
    expect(() => JSON.parse(Buffer.from(first.json.cursor.split('.').pop(), 'base64url').toString('utf8'))).toThrow();
    const second = await list(providerA, `limit=1&cursor=${first.json.cursor}`);
    expect(second.json.completions.map((c: { completedOn: string }) => c.completedOn)).toEqual(['2025-05-04']);
    expect(second.json.cursor).toBeUndefined();
  });

  it('answers a provider the same for an unknown learner as for a learner with none of its records', async () => {
    const outsider = await providerToken('cursor-prov-c');
    const known = await list(outsider, 'limit=1');
    const unknown = await call('GET', '/v1/learners/no-such-learner/completions?limit=1', { token: outsider });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(known.json).toEqual({ completions: [] });
    expect(unknown.json).toEqual({ completions: [] });
  });

  it('refuses a cursor replayed by another caller, on another list or with another filter, or tampered with', async () => {
    const page = await list(learner, 'limit=2');
    const cursor = page.json.cursor as string;
    expect((await list(learner, `limit=2&cursor=${cursor}`)).status).toBe(200);
    const refusals = [
      await list(providerB, `limit=2&cursor=${cursor}`),
      await list(await adminToken(), `limit=2&cursor=${cursor}`),
      await call('GET', `/v1/proposals?limit=2&cursor=${cursor}`, { token: learner }),
      await call('GET', `/v1/courses?provider=cursor-prov-a&limit=2&cursor=${cursor}`, { token: learner }),
      await list(learner, `limit=2&cursor=${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'B' : 'A'}A`),
      await list(
        learner,
        `limit=2&cursor=${Buffer.from(JSON.stringify({ pk: 'LEARNER#cursor-learner', sk: 'COMPLETION#2025-05-01#x' })).toString('base64url')}`,
      ),
    ];
    for (const res of refusals) {
      expect(res.status, res.text).toBe(422);
      expect(res.json.type).toBe('urn:kanryu:problem:unprocessable');
    }
  });

  it("puts a provider's reads of a learner's completions in the learner's export", async () => {
    const exported = await call('GET', '/v1/learners/me/export', { token: learner });
    const reads = exported.json.accessLog.filter(
      (e: { action: string; actor: { role: string } }) => e.action === 'read-completions' && e.actor.role === 'provider',
    );
    expect(reads.map((e: { actor: { org: string } }) => e.actor.org)).toContain('cursor-prov-a');
    expect(reads.map((e: { actor: { org: string } }) => e.actor.org)).not.toContain('cursor-prov-c');
  });

  it('fills a filtered opening list past hidden items and stops the cursor at the last one shown', async () => {
    const employer = await registerEmployer('7123456789012', '因幡データ');
    const roles = ['data-business-strategist', 'data-engineer', 'data-business-strategist', 'data-engineer', 'data-engineer'];
    for (const role of roles) {
      const posted = await call('POST', '/v1/openings', { token: employer, body: openingBody({ roles: [role], required: [] }) });
      expect(posted.status, posted.text).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', `/v1/organisations/me/openings?role=data-business-strategist&limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token: employer,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json.openings).toHaveLength(1);
      seen.push(res.json.openings[0].roles[0]);
      cursor = res.json.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['data-business-strategist', 'data-business-strategist']);

    // The same list with another filter does not take this cursor (same partition, so only the binding refuses it).
    const first = await call('GET', '/v1/organisations/me/openings?role=data-engineer&limit=1', { token: employer });
    expect(first.json.cursor).toBeDefined();
    const otherFilter = await call('GET', `/v1/organisations/me/openings?role=data-business-strategist&limit=1&cursor=${first.json.cursor}`, {
      token: employer,
    });
    expect(otherFilter.status, otherFilter.text).toBe(422);
    expect((await call('GET', `/v1/organisations/me/openings?role=data-engineer&limit=1&cursor=${first.json.cursor}`, { token: employer })).status).toBe(200);
  });
});

describe('stored idempotent answers belong to one whole identity and die with an erasure', () => {
  it("never replays a provider's stored answer to a learner account with the same subject", async () => {
    const provider = await tokenFor({ sub: 'shared-sub-1', role: 'provider', org: 'idem-prov' });
    const course = await registerCourse(provider);
    await createLearner('idem-learner', {}, { linkProviders: ['idem-prov'] });
    const headers = { 'idempotency-key': 'same-key-for-both' };
    const body = { learnerId: 'idem-learner', courseId: course, completedOn: '2025-06-01', evidence: { certificateNumber: 'SECRET-1' } };
    expect((await call('POST', '/v1/completions', { token: provider, body, headers })).status).toBe(201);
    const impostor = await tokenFor({ sub: 'shared-sub-1', role: 'learner' });
    const replay = await call('POST', '/v1/completions', { token: impostor, body, headers });
    expect(replay.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.status).toBe(403);
    expect(replay.text).not.toContain('SECRET-1');
  });

  it('removes, on erasure, the answers a provider stored about the learner: a replay returns nothing personal', async () => {
    const provider = await providerToken('idem-prov-2');
    const course = await registerCourse(provider);
    const learner = await createLearner('idem-erased', {}, { linkProviders: ['idem-prov-2'] });
    const headers = { 'idempotency-key': 'verify-before-erasure' };
    const body = {
      learnerId: 'idem-erased',
      courseId: course,
      completedOn: '2025-06-02',
      evidence: { certificateNumber: 'CERT-ERASE-ME', url: 'https://example.jp/erase-me' },
    };
    expect((await call('POST', '/v1/completions', { token: provider, body, headers })).status).toBe(201);
    expect((await call('POST', '/v1/completions', { token: provider, body, headers })).headers['idempotent-replayed']).toBe('true');

    expect((await call('DELETE', '/v1/learners/me', { token: learner })).status).toBe(200);
    const replay = await call('POST', '/v1/completions', { token: provider, body, headers });
    expect(replay.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.text).not.toMatch(/CERT-ERASE-ME|erase-me/);
    const { db, table } = await import('../../shared/data/client');
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    expect(JSON.stringify((await db.send(new ScanCommand({ TableName: table() }))).Items)).not.toMatch(/CERT-ERASE-ME|erase-me/);
  });
});

describe('candidate handles are keyed', () => {
  it('cannot be recomputed from the opening and learner ids, and a proposal keeps its handle', async () => {
    const employer = await registerEmployer('1123456789018', 'ハンドル株式会社');
    const provider = await providerToken('handle-prov');
    const course = await registerCourse(provider, courseBody({ skills: [{ skill: 'data-platform-design', level: 'a' }] }));
    await createLearner('handle-learner', { workPrefectures: ['31'] }, { linkProviders: ['handle-prov'] });
    await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'handle-learner', courseId: course, completedOn: '2025-06-03' } });
    const opening = (await call('POST', '/v1/openings', { token: employer, body: openingBody({ required: [], headcount: 10 }) })).json.openingId as string;
    expect((await call('PATCH', `/v1/openings/${opening}`, { token: employer, body: { status: 'open' } })).status).toBe(200);

    // The center sees learner ids, the employer handles, in the same order.
    const center = await centerToken('31');
    const byCenter = (await call('GET', `/v1/openings/${opening}/candidates?limit=100`, { token: center })).json.candidates as { candidate: string }[];
    const byEmployer = (await call('GET', `/v1/openings/${opening}/candidates?limit=100`, { token: employer })).json.candidates as { candidate: string }[];
    const handle = byEmployer[byCenter.findIndex((c) => c.candidate === 'handle-learner')]!.candidate;
    expect(handle).toMatch(/^cand_/);
    const unkeyed = `cand_${createHash('sha256').update(`${opening}|handle-learner`).digest('hex').slice(0, 16)}`;
    expect(handle).not.toBe(unkeyed);
    expect(
      (await call('GET', `/v1/openings/${opening}/candidates?limit=100`, { token: employer })).json.candidates.map((c: { candidate: string }) => c.candidate),
    ).toContain(handle);

    const run = await runRound(center, { prefecture: '31', dryRun: false });
    const mine = run.proposals.find((p: { learnerId: string }) => p.learnerId === 'handle-learner');
    expect(mine).toBeDefined();
    expect(mine.candidateHandle).toBeUndefined();
    // Organisations see proposal ids too: they must not be recomputable either.
    const unkeyedId = `prp_${createHash('sha256').update(`${run.run.runId}|handle-learner`).digest('hex').slice(0, 24)}`;
    expect(mine.proposalId).not.toBe(unkeyedId);
    const { getProposal } = await import('../../shared/data/matching');
    expect((await getProposal(mine.proposalId))?.candidateHandle).toBe(handle);
  });
});
