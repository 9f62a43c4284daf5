import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../shared/data/audit';
import { getOpening, markOpeningFilled, updateOpening } from '../../shared/data/openings';
import { readJobPosting } from '../../shared/domain/openings';
import { addDays, japanDate } from '../../shared/time/japan-time';
import { call, tokenFor } from '../support/api';
import { adminToken, centerToken, learnerToken, openingBody as sharedOpeningBody, providerToken, seedCatalog } from '../support/fixtures';

// Valid identifiers (check digits computed by shared/ids).
const INABA = '7123456789012'; // corporate number of employer A (head office 米子市)
const TOKYO_CO = '9234567890123'; // corporate number of employer B (head office 千代田区)
const UNREGISTERED = '3987654321098';
const TOTTORI_CITY = '312011'; // 鳥取市
const YONAGO = '312029'; // 米子市
const MATSUE = '322016'; // 松江市 (島根県, 32)

const employerToken = (org: string, sub = `${org}-staff`) => tokenFor({ sub, role: 'employer', org });
const municipalityToken = (org: string) => tokenFor({ sub: `${org}-staff`, role: 'municipality', org });

const today = japanDate(new Date());
const deadline = addDays(today, 30);

/** This file's opening: one required item, two seats, a pay range. */
const openingBody = (overrides: Record<string, unknown> = {}) =>
  sharedOpeningBody({
    required: [{ skill: 'data-platform-design', level: 'b' }],
    workplace: TOTTORI_CITY,
    headcount: 2,
    deadline,
    pay: { currency: 'JPY', unit: 'year', min: 4_000_000, max: 6_000_000 },
    ...overrides,
  });

let employerA: string;
let employerB: string;

async function post(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/v1/openings', { token, body: openingBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return res.json.openingId as string;
}

async function patch(token: string, openingId: string, body: Record<string, unknown>) {
  return call('PATCH', `/v1/openings/${openingId}`, { token, body });
}

async function postOpen(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const id = await post(token, overrides);
  const res = await patch(token, id, { status: 'open' });
  expect(res.status, res.text).toBe(200);
  return id;
}

const ids = (res: { json: { openings: { openingId: string }[] } }) => res.json.openings.map((o) => o.openingId);

beforeAll(async () => {
  await seedCatalog();
  employerA = await employerToken(INABA);
  employerB = await employerToken(TOKYO_CO);
  const a = await call('PUT', '/v1/organisations/me', {
    token: employerA,
    body: { kind: 'employer', name: '株式会社因幡データ', corporateNumber: INABA, headOffice: YONAGO },
  });
  expect(a.status, a.text).toBe(201);
  const b = await call('PUT', '/v1/organisations/me', {
    token: employerB,
    body: { kind: 'employer', name: '東京システム株式会社', corporateNumber: TOKYO_CO, headOffice: '131016' },
  });
  expect(b.status, b.text).toBe(201);
});

describe('organisations', () => {
  it('registers an employer by corporate number, with the prefecture of its head office, and replaces it on a second PUT', async () => {
    const me = await call('GET', '/v1/organisations/me', { token: employerA });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: INABA, kind: 'employer', name: '株式会社因幡データ', prefecture: '31', headOffice: YONAGO });
    const token = await employerToken('8000000000001');
    const body = { kind: 'employer', name: '旧社名', corporateNumber: '8000000000001', headOffice: MATSUE };
    const created = await call('PUT', '/v1/organisations/me', { token, body });
    expect(created.status).toBe(201);
    expect(created.json.prefecture).toBe('32');
    const replaced = await call('PUT', '/v1/organisations/me', { token, body: { ...body, name: '新社名' } });
    expect(replaced.status).toBe(200);
    expect(replaced.json.name).toBe('新社名');
    expect(replaced.json.registeredAt).toBe(created.json.registeredAt);
  });

  it('registers a municipality by its local government code (鳥取市 312011)', async () => {
    const token = await municipalityToken(TOTTORI_CITY);
    expect((await call('GET', '/v1/organisations/me', { token })).status).toBe(404);
    const res = await call('PUT', '/v1/organisations/me', { token, body: { kind: 'municipality', name: '鳥取市', localGovernmentCode: TOTTORI_CITY } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ id: TOTTORI_CITY, kind: 'municipality', name: '鳥取市', prefecture: '31' });
    expect((await call('GET', '/v1/organisations/me', { token })).json.id).toBe(TOTTORI_CITY);
  });

  it('refuses a corporate number with a wrong check digit (400), in the body and in the token (401)', async () => {
    const res = await call('PUT', '/v1/organisations/me', {
      token: employerA,
      body: { kind: 'employer', name: 'X', corporateNumber: '1123456789012', headOffice: YONAGO },
    });
    const forged = await call('GET', '/v1/organisations/me', { token: await employerToken('1123456789012') });
    expect(forged.status).toBe(401);
    expect(forged.json.claim).toBe('custom:org');
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('corporateNumber');
    expect(res.json.errors[0].message).toContain('check digit');
  });

  it('refuses an identifier other than the one the token acts for (403)', async () => {
    const token = await employerToken(UNREGISTERED);
    const res = await call('PUT', '/v1/organisations/me', {
      token,
      body: { kind: 'employer', name: 'なりすまし', corporateNumber: INABA, headOffice: YONAGO },
    });
    expect(res.status).toBe(403);
    expect((await call('GET', '/v1/organisations/me', { token: employerA })).json.name).toBe('株式会社因幡データ');
    const city = await municipalityToken(YONAGO);
    expect(
      (await call('PUT', '/v1/organisations/me', { token: city, body: { kind: 'municipality', name: '鳥取市', localGovernmentCode: TOTTORI_CITY } })).status,
    ).toBe(403);
  });

  it('refuses a kind that is not the role of the caller (403), an organisation claim of the other kind (401), and other roles (403)', async () => {
    expect(
      (await call('PUT', '/v1/organisations/me', { token: employerA, body: { kind: 'municipality', name: '鳥取市', localGovernmentCode: TOTTORI_CITY } }))
        .status,
    ).toBe(403);
    for (const token of [await employerToken(TOTTORI_CITY), await municipalityToken(INABA)]) {
      const res = await call('PUT', '/v1/organisations/me', { token, body: { kind: 'employer', name: 'X', corporateNumber: INABA, headOffice: YONAGO } });
      expect(res.status).toBe(401);
      expect(res.json.claim).toBe('custom:org');
    }
    expect((await call('GET', '/v1/organisations/me', { token: await learnerToken('l-org') })).status).toBe(403);
  });
});

describe('posting an opening', () => {
  it('creates a draft in the prefecture of its workplace, for the registered organisation', async () => {
    const res = await call('POST', '/v1/openings', { token: employerA, body: openingBody() });
    expect(res.status, res.text).toBe(201);
    expect(res.json.openingId).toMatch(/^opn_[a-f0-9]{20}$/);
    expect(res.headers.location).toBe(`/v1/openings/${res.json.openingId}`);
    expect(res.json).toMatchObject({
      status: 'draft',
      workplace: { municipality: TOTTORI_CITY, prefecture: '31' },
      organisation: { id: INABA, kind: 'employer', name: '株式会社因幡データ' },
      deadline,
    });
    expect(res.json).not.toHaveProperty('ownerOrg');
    expect(res.json).not.toHaveProperty('version');
  });

  it('is refused until the organisation is registered (422)', async () => {
    const res = await call('POST', '/v1/openings', { token: await employerToken(UNREGISTERED), body: openingBody() });
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain('PUT /v1/organisations/me');
  });

  it('refuses roles, skills and catalog versions that do not exist, naming them (422)', async () => {
    const role = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ roles: ['data-engineer', 'alchemist'] }) });
    expect(role.status).toBe(422);
    expect(role.json.detail).toContain('roles[1]');
    expect(role.json.detail).toContain('"alchemist"');
    const skill = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ niceToHave: [{ skill: 'dowsing', level: 'c' }] }) });
    expect(skill.status).toBe(422);
    expect(skill.json.detail).toContain('niceToHave[0].skill');
    expect(skill.json.detail).toContain('"dowsing"');
    const required = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ required: [{ skill: 'telepathy', level: 'a' }] }) });
    expect(required.json.detail).toContain('required[0].skill');
    const version = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ catalogVersion: '9.9' }) });
    expect(version.status).toBe(422);
    expect(version.json.detail).toContain('"9.9"');
  });

  it('refuses a past deadline, a period ending before it starts and a day not on the calendar (422)', async () => {
    const past = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ deadline: addDays(today, -1) }) });
    expect(past.status).toBe(422);
    expect(past.json.detail).toContain('deadline');
    const period = await call('POST', '/v1/openings', {
      token: employerA,
      body: openingBody({ period: { start: addDays(today, 60), end: addDays(today, 59) } }),
    });
    expect(period.status).toBe(422);
    expect(period.json.detail).toContain('period.end');
    const feb30 = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ period: { start: '2030-02-30' } }) });
    expect(feb30.status).toBe(422);
    expect(feb30.json.detail).toContain('2030-02-30');
    expect((await call('POST', '/v1/openings', { token: employerA, body: openingBody({ deadline: today }) })).status).toBe(201);
  });

  it('refuses a bad headcount, a workplace with a wrong check digit and fields the owner does not set (400)', async () => {
    const headcount = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ headcount: 0 }) });
    expect(headcount.status).toBe(400);
    expect(headcount.json.errors[0].field).toBe('headcount');
    const workplace = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ workplace: '312012' }) });
    expect(workplace.status).toBe(400);
    expect(workplace.json.errors[0].field).toBe('workplace');
    expect((await call('POST', '/v1/openings', { token: employerA, body: { ...openingBody(), ownerOrg: TOKYO_CO } })).status).toBe(400);
    expect((await call('POST', '/v1/openings', { token: employerA, body: { ...openingBody(), status: 'open' } })).status).toBe(400);
  });

  it('is for employers and municipalities only', async () => {
    expect((await call('POST', '/v1/openings', { token: await providerToken('prov-x'), body: openingBody() })).status).toBe(403);
    expect((await call('POST', '/v1/openings', { token: await centerToken('31'), body: openingBody() })).status).toBe(403);
    expect((await call('POST', '/v1/openings', { body: openingBody() })).status).toBe(401);
  });

  it('replays a creation retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'opening-key-0001' };
    const body = openingBody({ title: '再送テスト' });
    const first = await call('POST', '/v1/openings', { token: employerA, body, headers });
    const again = await call('POST', '/v1/openings', { token: employerA, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.openingId).toBe(first.json.openingId);
    const own = await call('GET', '/v1/organisations/me/openings?limit=100', { token: employerA });
    expect(own.json.openings.filter((o: { title: string }) => o.title === '再送テスト')).toHaveLength(1);
    const different = await call('POST', '/v1/openings', { token: employerA, body: openingBody({ title: '別の求人' }), headers });
    expect(different.status).toBe(422);
    expect(different.json.type).toBe('urn:kanryu:problem:idempotency-key-reused');
  });
});

describe('lifecycle', () => {
  it('goes draft -> open -> closed; a draft changes freely, an open opening only closes or moves its deadline', async () => {
    const id = await post(employerA);
    const edited = await patch(employerA, id, { title: '改題', workplace: '131016', headcount: 3 });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json).toMatchObject({ title: '改題', headcount: 3, workplace: { municipality: '131016', prefecture: '13' }, status: 'draft' });

    const opened = await patch(employerA, id, { status: 'open' });
    expect(opened.status).toBe(200);
    expect(opened.json.status).toBe('open');

    const retitle = await patch(employerA, id, { title: 'もう一度改題' });
    expect(retitle.status).toBe(409);
    expect(retitle.json.detail.toLowerCase()).toContain('an open opening can only be closed or have its deadline moved; close it and post a new one');
    const moved = await patch(employerA, id, { deadline: addDays(today, 45) });
    expect(moved.status).toBe(200);
    expect(moved.json.deadline).toBe(addDays(today, 45));
    expect((await patch(employerA, id, { deadline: addDays(today, -1) })).status).toBe(422);

    const closed = await patch(employerA, id, { status: 'closed' });
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe('closed');
    expect((await patch(employerA, id, { status: 'open' })).status).toBe(409);
    expect((await patch(employerA, id, { deadline: addDays(today, 50) })).status).toBe(409);
    expect((await call('GET', `/v1/openings/${id}`, { token: employerA })).json).toMatchObject({ status: 'closed', title: '改題' });

    const audit = await listAudit(`OPENING#${id}`, { cursor: undefined, limit: 50 });
    expect(audit.items.map((e) => [e.action, e.details?.status])).toEqual([
      ['opening-created', 'draft'],
      ['opening-updated', 'draft'],
      ['opening-status', 'open'],
      ['opening-updated', 'open'],
      ['opening-status', 'closed'],
    ]);
  });

  it('closes a draft directly, and never sets filled by PATCH', async () => {
    const id = await post(employerA);
    expect((await patch(employerA, id, { status: 'filled' })).status).toBe(400);
    expect((await patch(employerA, id, {})).status).toBe(400);
    const closed = await patch(employerA, id, { status: 'closed' });
    expect(closed.json.status).toBe('closed');
  });

  it('checks catalog ids and dates on a draft edit', async () => {
    const id = await post(employerA);
    const role = await patch(employerA, id, { roles: ['alchemist'] });
    expect(role.status).toBe(422);
    expect(role.json.detail).toContain('"alchemist"');
    expect((await patch(employerA, id, { period: { start: addDays(today, 10), end: addDays(today, 5) } })).status).toBe(422);
    expect((await patch(employerA, id, { workplace: '312012' })).status).toBe(400);
  });

  it('opens a draft only while its deadline is today or later', async () => {
    const id = await post(employerA);
    // A draft left lying while its deadline passed (the API never accepts a past deadline).
    const read = (await getOpening(id))!;
    await updateOpening(read, { ...read, deadline: addDays(today, -3), version: read.version + 1 });
    const refused = await patch(employerA, id, { status: 'open' });
    expect(refused.status).toBe(422);
    expect(refused.json.detail).toContain('deadline');
    const reopened = await patch(employerA, id, { status: 'open', deadline: addDays(today, 7) });
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.json).toMatchObject({ status: 'open', deadline: addDays(today, 7) });
  });

  it("hides another organisation's opening from PATCH (404) and refuses other roles (403)", async () => {
    const id = await post(employerA);
    const foreign = await patch(employerB, id, { title: '乗っ取り' });
    expect(foreign.status).toBe(404);
    expect((await patch(employerB, 'opn_00000000000000000000', { title: 'x' })).status).toBe(404);
    expect((await patch(await centerToken('31'), id, { status: 'closed' })).status).toBe(403);
    expect((await patch(await adminToken(), id, { status: 'closed' })).status).toBe(403);
    expect((await call('GET', `/v1/openings/${id}`, { token: employerA })).json).toMatchObject({ status: 'draft', title: openingBody().title });
  });

  it('lets exactly one of several simultaneous closes win; the others get 409', async () => {
    const id = await postOpen(employerA);
    const answers = await Promise.all(Array.from({ length: 8 }, () => patch(employerA, id, { status: 'closed' })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
    const audit = await listAudit(`OPENING#${id}`, { cursor: undefined, limit: 50 });
    expect(audit.items.filter((e) => e.details?.status === 'closed')).toHaveLength(1);
  });

  it('refuses a write based on a version that changed meanwhile, so two edits read together cannot both win', async () => {
    const id = await post(employerA);
    const read = (await getOpening(id))!;
    const now = new Date().toISOString();
    const first = await updateOpening(read, { ...read, title: 'A', updatedAt: now, version: read.version + 1 });
    const second = await updateOpening(read, { ...read, title: 'B', updatedAt: now, version: read.version + 1 });
    expect(first?.title).toBe('A');
    expect(second).toBeUndefined();
    expect((await getOpening(id))!).toMatchObject({ title: 'A', version: read.version + 1 });
  });

  it('marks an open opening filled (and leaves a draft alone); a filled opening is final', async () => {
    const open = await postOpen(employerA);
    const draft = await post(employerA);
    await markOpeningFilled(open);
    await markOpeningFilled(draft);
    expect((await getOpening(open))!.status).toBe('filled');
    expect((await getOpening(draft))!.status).toBe('draft');
    expect((await patch(employerA, open, { status: 'closed' })).status).toBe(409);
    const filled = await call('GET', '/v1/openings?status=filled', { token: await centerToken('31') });
    expect(ids(filled)).toContain(open);
    const stillOpen = await call('GET', '/v1/openings?prefecture=31');
    expect(ids(stillOpen)).not.toContain(open);
  });
});

describe('listing', () => {
  // 島根県 (32): only this block posts there.
  let draft: string;
  let open: string;
  let closed: string;
  let openCloud: string;

  beforeAll(async () => {
    draft = await post(employerA, { workplace: MATSUE, title: '島根 下書き' });
    open = await postOpen(employerA, { workplace: MATSUE, title: '島根 公開' });
    closed = await postOpen(employerA, { workplace: MATSUE, title: '島根 終了' });
    expect((await patch(employerA, closed, { status: 'closed' })).status).toBe(200);
    openCloud = await postOpen(employerB, { workplace: MATSUE, roles: ['cloud-engineer-sre'], title: '島根 クラウド' });
  });

  it('shows anyone the open openings of a prefecture, and nothing else', async () => {
    const res = await call('GET', '/v1/openings?prefecture=32');
    expect(res.status).toBe(200);
    expect(ids(res).sort()).toEqual([open, openCloud].sort());
    expect(res.json.openings.every((o: { status: string }) => o.status === 'open')).toBe(true);
    expect((await call('GET', '/v1/openings?prefecture=32&status=draft')).status).toBe(403);
    // Without a prefecture: the national search, open openings only (test/api/http-rules.test.ts).
    const national = await call('GET', '/v1/openings?limit=100');
    expect(national.status).toBe(200);
    expect(ids(national)).toEqual(expect.arrayContaining([open, openCloud]));
    expect(national.json.openings.every((o: { status: string }) => o.status === 'open')).toBe(true);
    const learner = await learnerToken('l-openings');
    expect(ids(await call('GET', '/v1/openings?prefecture=32', { token: learner })).sort()).toEqual([open, openCloud].sort());
    expect((await call('GET', '/v1/openings?prefecture=32&status=closed', { token: learner })).status).toBe(403);
  });

  it("shows a center its own prefecture's drafts and closed openings, and refuses another center", async () => {
    const shimane = await centerToken('32');
    expect(ids(await call('GET', '/v1/openings?status=draft', { token: shimane }))).toEqual([draft]);
    expect(ids(await call('GET', '/v1/openings?prefecture=32&status=closed', { token: shimane }))).toEqual([closed]);
    expect(ids(await call('GET', '/v1/openings?prefecture=32', { token: shimane })).sort()).toEqual([open, openCloud].sort());
    // Without a prefecture a center searches the country like anyone else.
    expect(ids(await call('GET', '/v1/openings?limit=100', { token: shimane }))).toEqual(expect.arrayContaining([open, openCloud]));
    const tottori = await centerToken('31');
    const refused = await call('GET', '/v1/openings?prefecture=32&status=draft', { token: tottori });
    expect(refused.status).toBe(403);
    expect(ids(await call('GET', '/v1/openings?prefecture=32', { token: tottori })).sort()).toEqual([open, openCloud].sort());
    expect(ids(await call('GET', '/v1/openings?prefecture=32&status=draft', { token: await adminToken() }))).toEqual([draft]);
  });

  it("lists an organisation's own openings in every status at /v1/organisations/me/openings, and only open ones in the search", async () => {
    const own = await call('GET', '/v1/organisations/me/openings?limit=100', { token: employerA });
    expect(ids(own)).toEqual(expect.arrayContaining([draft, open, closed]));
    expect(ids(own)).not.toContain(openCloud);
    const drafts = await call('GET', '/v1/organisations/me/openings?status=draft&limit=100', { token: employerA });
    expect(ids(drafts)).toContain(draft);
    expect(ids(drafts)).not.toContain(open);
    const others = await call('GET', '/v1/organisations/me/openings?limit=100', { token: employerB });
    expect(ids(others)).toEqual([openCloud]);
    // The search serves no organisation its drafts: its own search is everyone's.
    const searched = await call('GET', '/v1/openings?limit=100', { token: employerA });
    expect(ids(searched)).toEqual(expect.arrayContaining([open, openCloud]));
    expect(ids(searched)).not.toContain(draft);
    const refused = await call('GET', '/v1/openings?status=draft', { token: employerA });
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toContain('/v1/organisations/me/openings');
    expect((await call('GET', '/v1/organisations/me/openings', { token: await centerToken('32') })).status).toBe(403);
    expect((await call('GET', '/v1/organisations/me/openings')).status).toBe(401);
    expect((await call('GET', '/v1/openings?prefecture=32&status=draft', { token: employerB })).status).toBe(403);
    expect(ids(await call('GET', '/v1/openings?prefecture=32', { token: employerB })).sort()).toEqual([open, openCloud].sort());
  });

  it('filters by role', async () => {
    const cloud = await call('GET', '/v1/openings?prefecture=32&role=cloud-engineer-sre');
    expect(ids(cloud)).toEqual([openCloud]);
    const data = await call('GET', '/v1/openings?prefecture=32&role=data-engineer');
    expect(ids(data)).toEqual([open]);
  });

  it('pages with a cursor, each opening once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', `/v1/openings?prefecture=32&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.json.openings.length).toBeLessThanOrEqual(1);
      seen.push(...ids(res));
      cursor = res.json.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([open, openCloud].sort());
    const own = await call('GET', '/v1/organisations/me/openings?limit=1', { token: employerA });
    expect((await call('GET', `/v1/openings?prefecture=32&cursor=${encodeURIComponent(own.json.cursor)}`)).status).toBe(422);
  });
});

describe('reading one opening', () => {
  let draft: string;
  let open: string;

  beforeAll(async () => {
    draft = await post(employerA, { title: '非公開の下書き' });
    open = await postOpen(employerA, { workStyle: 'side-job', title: '副業 データ基盤' });
  });

  it('serves an open opening to anyone', async () => {
    const res = await call('GET', `/v1/openings/${open}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ openingId: open, status: 'open', title: '副業 データ基盤' });
    expect(res.json).not.toHaveProperty('ownerOrg');
  });

  it('shows a draft only to the owner, the center of the workplace prefecture and admin', async () => {
    expect((await call('GET', `/v1/openings/${draft}`)).status).toBe(404);
    expect((await call('GET', `/v1/openings/${draft}`, { token: await learnerToken('l-peek') })).status).toBe(404);
    expect((await call('GET', `/v1/openings/${draft}`, { token: employerB })).status).toBe(404);
    expect((await call('GET', `/v1/openings/${draft}`, { token: await centerToken('13') })).status).toBe(404);
    expect((await call('GET', `/v1/openings/${draft}`, { token: employerA })).status).toBe(200);
    expect((await call('GET', `/v1/openings/${draft}`, { token: await centerToken('31') })).status).toBe(200);
    expect((await call('GET', `/v1/openings/${draft}`, { token: await adminToken() })).status).toBe(200);
  });

  it('gives an open opening as a schema.org JobPosting with Accept: application/ld+json', async () => {
    const res = await call('GET', `/v1/openings/${open}`, { headers: { accept: 'application/ld+json' } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('application/ld+json');
    expect(res.json['@context']).toBe('https://schema.org');
    expect(res.json['@type']).toBe('JobPosting');
    expect(res.json.employmentType).toBe('PART_TIME');
    expect(res.json.validThrough).toBe(`${deadline}T23:59:59+09:00`);
    expect(res.json.hiringOrganization).toEqual({ '@type': 'Organization', name: '株式会社因幡データ', identifier: INABA });
    expect(res.json.jobLocation.address.addressRegion).toBe('鳥取県');
    expect(res.json.baseSalary).toEqual({
      '@type': 'MonetaryAmount',
      currency: 'JPY',
      value: { '@type': 'QuantitativeValue', minValue: 4_000_000, maxValue: 6_000_000, unitText: 'YEAR' },
    });
    expect(res.json.skills).toContain('データ活用基盤設計 (Data platform design)');
    // The opening's id under the posting organisation, where it is read, and no applying there.
    expect(res.json.identifier).toEqual({ '@type': 'PropertyValue', propertyID: INABA, name: '株式会社因幡データ', value: open });
    expect(res.json.url).toMatch(new RegExp(`^https?://[^/]+/v1/openings/${open}$`));
    expect(res.json.directApply).toBe(false);
    const json = await call('GET', `/v1/openings/${open}`, { headers: { accept: 'application/json' } });
    expect(json.json.status).toBe('open');
  });

  it('escapes <, > and & in the JobPosting so it is safe inside an HTML script element', async () => {
    const hostile = '</script><script>alert(1)</script> & more';
    const id = await postOpen(employerA, { title: hostile, description: hostile });
    const res = await call('GET', `/v1/openings/${id}`, { headers: { accept: 'application/ld+json' } });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toMatch(/[<>&]/);
    expect(res.json.title).toBe(hostile);
    expect(res.json.description).toBe(hostile);
    expect(JSON.parse(res.text)).toEqual(await readJobPosting(undefined, id));
  });

  it('has no JobPosting for a draft, even for its owner (404)', async () => {
    const res = await call('GET', `/v1/openings/${draft}`, { token: employerA, headers: { accept: 'application/ld+json' } });
    expect(res.status).toBe(404);
    expect(res.json.type).toBe('urn:kanryu:problem:not-found');
  });

  it('names a municipality employer by its local government code in the JobPosting', async () => {
    const city = await municipalityToken(TOTTORI_CITY);
    await call('PUT', '/v1/organisations/me', { token: city, body: { kind: 'municipality', name: '鳥取市', localGovernmentCode: TOTTORI_CITY } });
    const id = await postOpen(city, { workStyle: 'remote', title: '鳥取市 DX推進', workplaceName: '鳥取市' });
    const res = await call('GET', `/v1/openings/${id}`, { headers: { accept: 'application/ld+json' } });
    expect(res.json.hiringOrganization.identifier).toBe(TOTTORI_CITY);
    expect(res.json.jobLocation.address).toEqual({ '@type': 'PostalAddress', addressLocality: '鳥取市', addressRegion: '鳥取県', addressCountry: 'JP' });
    expect((await call('GET', `/v1/openings/${id}`)).json.workplace).toEqual({ municipality: TOTTORI_CITY, prefecture: '31', name: '鳥取市' });
    expect(res.json.jobLocationType).toBe('TELECOMMUTE');
  });
});
