import { beforeAll, describe, expect, it } from 'vitest';
import { putLearnerProfile } from '../../shared/data/learners';
import { getOpening } from '../../shared/data/openings';
import { loadPoolEntries, poolEntries } from '../../shared/data/pools';
import { catalogOfOpening, stillConsenting } from '../../shared/domain/candidates';
import { poolsOfOpening, rankEntries } from '../../shared/domain/ranking';
import { refreshShortlists } from '../../shared/domain/shortlist-refresh';
import { compactStandings } from '../../shared/domain/standing';
import { runAggregation } from '../../shared/progress/aggregator';
import { call } from '../support/api';
import { runRound } from '../support/rounds';
import { centerToken, createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * Rankings at any pool size read a bounded number of items: each open opening's
 * shortlist (its best candidates, kept by a job) merged with the pool entries written
 * since. What a center sees is the top of the ranking full scoring gives, in the same
 * order, and the answer says when the list stops at the shortlist.
 */
const EMPLOYER_ORG = '7123456789012';
// Scores apart, and some tied (the tie-break then orders them).
const LEARNERS: [string, ('strong' | 'platform' | 'operations')[]][] = [
  ['sl-a', ['strong']],
  ['sl-b', ['platform', 'operations']],
  ['sl-c', ['platform']],
  ['sl-d', ['platform']],
  ['sl-e', ['operations']],
  ['sl-f', ['operations']],
  ['sl-g', []],
];

let provider: string;
let employer: string;
let center: string;
let openingId: string;
const courses: Record<string, string> = {};
const tokens: Record<string, string> = {};

interface Listed {
  rank: number;
  candidate: string;
  score: number;
}

/** Every page of the list, `limit` at a time, and the last page's answer. */
async function wholeList(id: string, query: string, token = center, limit = 2) {
  const listed: Listed[] = [];
  let cursor: string | undefined;
  let last: Record<string, unknown> = {};
  do {
    const res = await call('GET', `/v1/openings/${id}/candidates?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    listed.push(...res.json.candidates);
    cursor = res.json.cursor;
    last = res.json;
  } while (cursor);
  return { listed, last };
}

/** Full scoring of the whole pool now, as the product's own ranking function gives it, consenting people only. */
async function fullRanking(id: string, includeSelfReported: boolean) {
  const opening = (await getOpening(id))!;
  const entries = (await Promise.all(poolsOfOpening(opening).map(poolEntries))).flat();
  const { ranked } = rankEntries(opening, await catalogOfOpening(opening), entries, includeSelfReported);
  const consenting = await stillConsenting(
    opening,
    ranked.map((c) => c.entry.learnerId),
  );
  return ranked.filter((c) => consenting.has(c.entry.learnerId)).map((c) => ({ candidate: c.entry.learnerId, score: c.fit.score }));
}

const shown = (listed: Listed[]) => listed.map(({ candidate, score }) => ({ candidate, score }));

async function complete(learnerId: string, course: string, verified = true) {
  const body = { learnerId, courseId: courses[course], completedOn: '2025-05-01' };
  const res = verified
    ? await call('POST', '/v1/completions', { token: provider, body })
    : await call('POST', '/v1/completions', { token: tokens[learnerId], body: { ...body, evidence: { certificateNumber: 'S-1' } } });
  // 200: the provider verified what the learner had reported.
  expect([200, 201], res.text).toContain(res.status);
}

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-shortlist');
  courses.strong = await registerCourse(provider, {
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'a' },
    ],
  });
  courses.platform = await registerCourse(provider, { skills: [{ skill: 'data-platform-design', level: 'b' }] });
  courses.operations = await registerCourse(provider, { skills: [{ skill: 'data-platform-operations', level: 'c' }] });
  employer = await registerEmployer(EMPLOYER_ORG, '因幡データ株式会社');
  center = await centerToken('31');
  const created = await call('POST', '/v1/openings', { token: employer, body: openingBody({ title: 'データエンジニア（ショートリスト）' }) });
  expect(created.status, created.text).toBe(201);
  openingId = created.json.openingId;
  expect((await call('PATCH', `/v1/openings/${openingId}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
  for (const [id, done] of LEARNERS) {
    tokens[id] = await createLearner(id, { workPrefectures: ['31'], workStyles: ['full-time'] }, { linkProviders: ['prov-shortlist'] });
    for (const course of done) await complete(id, course);
  }
  // A self-reported completion: counts only when the center asks for it.
  await complete('sl-g', 'strong', false);
  await runAggregation();
}, 120_000);

describe('ranking from a shortlist', () => {
  it('lists the top of the whole-pool ranking in the same order, and says the list stops there', async () => {
    const before = await wholeList(openingId, '');
    const beforeSelf = await wholeList(openingId, '&includeSelfReported=true');
    expect(before.listed).toHaveLength(LEARNERS.length);
    expect(before.last.shortlisted).toBeUndefined();

    const refreshed = await refreshShortlists(new Date(), { size: 3 });
    expect(refreshed).toMatchObject({ due: 1, computed: 1, reasons: { missing: 1 } });

    const after = await wholeList(openingId, '', center, 1);
    expect(after.listed).toEqual(before.listed.slice(0, 3));
    expect(after.last).toMatchObject({ shortlisted: 3, shortlistReason: expect.stringContaining('3 best-fitting') });
    const afterSelf = await wholeList(openingId, '&includeSelfReported=true');
    expect(afterSelf.listed).toEqual(beforeSelf.listed.slice(0, 3));
    expect(afterSelf.listed.map((c) => c.candidate)).toContain('sl-g');

    // The owning organisation sees the same list under handles.
    const forOwner = await wholeList(openingId, '', employer);
    expect(forOwner.listed.map((c) => c.score)).toEqual(after.listed.map((c) => c.score));
    for (const c of forOwner.listed) expect(c.candidate).toMatch(/^cand_/);

    // Nothing changed since: the job leaves it alone.
    expect(await refreshShortlists(new Date(), { size: 3 })).toMatchObject({ due: 0, computed: 0 });
  });

  it('moves someone whose skills rose since the shortlist to their place at once', async () => {
    const last = (await fullRanking(openingId, false)).at(-1)!.candidate;
    await complete(last, 'strong');
    await runAggregation();
    const { listed } = await wholeList(openingId, '');
    const full = await fullRanking(openingId, false);
    expect(shown(listed)).toEqual(full.slice(0, listed.length));
    expect(listed.map((c) => c.candidate)).toContain(last);
    expect(listed.map((c) => c.rank)).toEqual(listed.map((_, i) => i + 1));
  });

  it('drops someone who revokes consent at once, and ranks only the people shown', async () => {
    const top = (await wholeList(openingId, '')).listed[0]!.candidate;
    const revoked = await call('PUT', '/v1/learners/me', {
      token: tokens[top]!,
      body: { residence: { municipality: '131016' }, workPrefectures: ['31'], workStyles: ['full-time'], turn: { intent: 'i-turn' }, matchingConsent: false },
    });
    expect(revoked.status, revoked.text).toBe(200);
    const { listed } = await wholeList(openingId, '');
    expect(listed.map((c) => c.candidate)).not.toContain(top);
    expect(shown(listed)).toEqual((await fullRanking(openingId, false)).slice(0, listed.length));
    expect(listed.map((c) => c.rank)).toEqual(listed.map((_, i) => i + 1));
  });
});

describe('a pool too large to rank whole', () => {
  it('answers 503 until the job has computed the shortlist, then ranks from it', async () => {
    // 1,200 people in Shimane's pool, written directly; three of them consent to be shown.
    const shimaneEmployer = await registerEmployer('2120901007402', '出雲テック株式会社', '322016');
    const created = await call('POST', '/v1/openings', { token: shimaneEmployer, body: openingBody({ title: '出雲のデータ基盤', workplace: '322016' }) });
    expect(created.status, created.text).toBe(201);
    const shimaneOpening = created.json.openingId as string;
    expect((await call('PATCH', `/v1/openings/${shimaneOpening}`, { token: shimaneEmployer, body: { status: 'open' } })).status).toBe(200);
    const opening = (await getOpening(shimaneOpening))!;
    const catalog = await catalogOfOpening(opening);
    const coverage = (skills: { skill: string; level: 'a' | 'b' | 'c' }[]) =>
      new Map([['crs', { courseId: 'crs', catalogVersion: catalog.version, certification: false, literacyItems: [], skills }]]);
    const fact = { completionId: 'c1', courseId: 'crs', completedOn: '2025-05-01', status: 'verified' as const };
    const catalogs = new Map([[catalog.version, catalog]]);
    const strong = compactStandings(
      catalogs,
      [fact],
      coverage([
        { skill: 'data-platform-design', level: 'a' },
        { skill: 'data-platform-operations', level: 'a' },
      ]),
    );
    const weak = compactStandings(catalogs, [fact], coverage([{ skill: 'data-platform-operations', level: 'c' }]));
    const entry = (n: number) => ({
      learnerId: `big-${String(n).padStart(4, '0')}`,
      residencePrefecture: '32',
      workPrefectures: ['32'],
      workStyles: ['full-time'],
      turn: 'none',
      standings: n % 400 === 7 ? strong : weak,
      basis: '001|2026-01-01T00:00:00.000Z|0000000001',
    });
    const entries = Array.from({ length: 1200 }, (_, n) => entry(n));
    await loadPoolEntries('P32', entries);
    const now = new Date().toISOString();
    for (const e of entries.filter((e) => e.standings === strong)) {
      await putLearnerProfile({
        learnerId: e.learnerId,
        residence: { prefecture: '32', municipality: '322016' },
        workPrefectures: ['32'],
        workStyles: ['full-time'],
        turn: { intent: 'none' },
        consent: { matching: true, changedAt: now },
        consentHistory: [{ matching: true, at: now }],
        createdAt: now,
        updatedAt: now,
      });
    }
    const shimaneCenter = await centerToken('32');

    const early = await call('GET', `/v1/openings/${shimaneOpening}/candidates`, { token: shimaneCenter });
    expect(early.status, early.text).toBe(503);
    expect(early.json.detail).toMatch(/prepared by a job/);

    await refreshShortlists(new Date());
    const ranked = await call('GET', `/v1/openings/${shimaneOpening}/candidates?limit=10`, { token: shimaneCenter });
    expect(ranked.status, ranked.text).toBe(200);
    expect(ranked.json.candidates.map((c: Listed) => c.candidate).sort()).toEqual(['big-0007', 'big-0407', 'big-0807']);
    expect(ranked.json).toMatchObject({ shortlisted: 500 });
    expect(ranked.json.cursor).toBeUndefined();

    // A round ranks each opening the same way, computing the shortlist of one opened since.
    const second = await call('POST', '/v1/openings', { token: shimaneEmployer, body: openingBody({ title: '出雲のデータ基盤 2', workplace: '322016' }) });
    expect((await call('PATCH', `/v1/openings/${second.json.openingId}`, { token: shimaneEmployer, body: { status: 'open' } })).status).toBe(200);
    const round = await runRound(shimaneCenter, { prefecture: '32', dryRun: true });
    expect(round.run.counts).toMatchObject({ openings: 2, seats: 2, candidates: 3, matched: 2 });
    expect((await call('GET', `/v1/openings/${second.json.openingId}/candidates`, { token: shimaneCenter })).status).toBe(200);
  });
});
