import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api';
import { runRound } from '../support/rounds';
import { adminToken, centerToken, createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';
import { freezeIndexes, laggedItems, thawIndexes } from './lagging-index';

/**
 * In AWS a global secondary index answers eventually: a query right after a write may not
 * see it (and a table read without ConsistentRead may not either). dynalite is strongly
 * consistent, so here the indexes are made to lag on purpose (./lagging-index.ts): from
 * `freezeIndexes()` on, they answer as the table stood at the freeze. Each path that acts
 * on what was just written must still come out complete and correct.
 */

// Workplaces (local government codes with their check digits): one prefecture per scenario.
const TOTTORI = '312011';
const MATSUE = '322016';
const KURASHIKI = '332020';
const SHIMONOSEKI = '352012';

let provider: string;
let strongCourse: string;
let employer: string;

async function postOpening(workplace: string, status: 'open' | 'draft', overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await call('POST', '/v1/openings', { token: employer, body: openingBody({ workplace, ...overrides }) });
  expect(created.status, created.text).toBe(201);
  if (status === 'open') await setStatus(created.json.openingId, 'open');
  return created.json.openingId as string;
}

async function setStatus(openingId: string, status: 'open' | 'closed') {
  const res = await call('PATCH', `/v1/openings/${openingId}`, { token: employer, body: { status } });
  expect(res.status, res.text).toBe(200);
}

/** A consenting learner who wants full-time work in `prefecture`, with verified evidence that meets the openings' requirements. */
async function candidate(id: string, prefecture: string): Promise<string> {
  const token = await createLearner(id, { workPrefectures: [prefecture], workStyles: ['full-time'] }, { linkProviders: ['prov-lag'] });
  const res = await call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: strongCourse, completedOn: '2025-05-01' } });
  expect(res.status, res.text).toBe(201);
  return token;
}

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-lag');
  strongCourse = await registerCourse(provider, {
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'a' },
    ],
  });
  employer = await registerEmployer('7123456789012', '因幡データ株式会社');
}, 120_000);

afterEach(() => thawIndexes());

describe('the lagging index itself', () => {
  it('answers an index query as it stood at the freeze, while the table moves on', async () => {
    const closing = await postOpening(KURASHIKI, 'open');
    const opening = await postOpening(KURASHIKI, 'draft');
    const listed = async () => (await call('GET', '/v1/openings?prefecture=33')).json.openings.map((o: { openingId: string }) => o.openingId);
    expect(await listed()).toEqual([closing]);
    const before = laggedItems();
    freezeIndexes();
    await setStatus(closing, 'closed');
    await setStatus(opening, 'open');
    // The public list reads gsi1: still the closed one, not yet the new one.
    expect(await listed()).toEqual([closing]);
    expect(laggedItems()).toBeGreaterThan(before);
    // The table itself is current.
    expect((await call('GET', `/v1/openings/${closing}`, { token: employer })).json.status).toBe('closed');
    thawIndexes();
    expect(await listed()).toEqual([opening]);
  });
});

describe('a matching round through a lagging index', () => {
  it('publishes every proposal of the round, and only then calls it published', async () => {
    await postOpening(TOTTORI, 'open', { headcount: 2 });
    await postOpening(TOTTORI, 'open');
    const learners = ['lag-p1', 'lag-p2', 'lag-p3'];
    const tokens = await Promise.all(learners.map((id) => candidate(id, '31')));
    const center = await centerToken('31');

    freezeIndexes();
    const { runId, counts } = (await runRound(center, { prefecture: '31', dryRun: false })).run;
    expect(counts).toMatchObject({ openings: 2, seats: 3, matched: 3 });
    const published = await call('POST', `/v1/match-runs/${runId}/publish`, { token: center });
    expect(published.status, published.text).toBe(200);
    expect(published.json.status).toBe('published');
    expect((await call('POST', `/v1/match-runs/${runId}/publish`, { token: center })).status).toBe(409);
    thawIndexes();

    // Every proposal the run made is out, and each candidate has theirs.
    const proposals = (await call('GET', `/v1/match-runs/${runId}/proposals`, { token: center })).json.proposals;
    expect(proposals).toHaveLength(3);
    expect(proposals.map((p: { status: string }) => p.status)).toEqual(['proposed', 'proposed', 'proposed']);
    for (const token of tokens) {
      const mine = await call('GET', '/v1/proposals', { token });
      expect(mine.json.proposals.map((p: { runId: string; status: string }) => [p.runId, p.status])).toEqual([[runId, 'proposed']]);
    }
  });

  it('takes the open openings as they are now: not one closed a moment ago, and one opened a moment ago', async () => {
    const closing = await postOpening(MATSUE, 'open', { title: '松江（締切済み）' });
    const opening = await postOpening(MATSUE, 'draft', { title: '松江（新規）' });
    await candidate('lag-matsue', '32');
    freezeIndexes();
    await setStatus(closing, 'closed');
    await setStatus(opening, 'open');
    const round = await runRound(await centerToken('32'), { prefecture: '32', dryRun: true });
    expect(round.run.counts).toMatchObject({ openings: 1, seats: 1, matched: 1 });
    expect(round.proposals.map((p: { openingId: string }) => p.openingId)).toEqual([opening]);
  });

  it('plans a national round with a prefecture whose only opening was opened a moment ago', async () => {
    const opening = await postOpening(SHIMONOSEKI, 'draft', { title: '下関のデータエンジニア' });
    await candidate('lag-shimonoseki', '35');
    freezeIndexes();
    await setStatus(opening, 'open');
    const res = await call('POST', '/v1/national-match-runs', { token: await adminToken(), body: { dryRun: true } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.prefectures).toContain('35');
    expect(res.json.runs).toContainEqual(expect.objectContaining({ prefecture: '35', matched: 1 }));
  });
});

describe('a course right after it is registered, when reads are eventually consistent', () => {
  it('is found by id, by a completion report and by a CSV import', async () => {
    await createLearner('lag-course', {}, { linkProviders: ['prov-lag'] });
    freezeIndexes({ eventuallyConsistentReads: true });
    const courseId = await registerCourse(provider, { title: '登録直後の講座' });
    const read = await call('GET', `/v1/courses/${courseId}`);
    expect(read.status, read.text).toBe(200);
    const reported = await call('POST', '/v1/completions', { token: provider, body: { learnerId: 'lag-course', courseId, completedOn: '2025-06-01' } });
    expect(reported.status, reported.text).toBe(201);
    const csv = `learner_id,course_id,completed_on\nlag-course,${courseId},2025-07-01\n`;
    const imported = await call('POST', '/v1/completions/import', { token: provider, raw: { contentType: 'text/csv', data: csv } });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ rows: 1, stored: 1, rejected: [] });
  });
});
