import { beforeAll, describe, expect, it } from 'vitest';
import { pendingRecordKeys } from '../../shared/data/aggregation';
import { runRebuild } from '../../shared/domain/rebuild';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount } from '../../shared/progress/recount';
import { call } from '../support/api';
import {
  adminToken,
  centerToken,
  createLearner,
  installCatalog20,
  openingBody,
  providerToken,
  registerCourse,
  registerEmployer,
  seedCatalog,
} from '../support/fixtures';

/**
 * A catalog change re-derives every learner: after DSS-P 2.0 is installed and made
 * current, a 1.2 opening ranks everyone exactly as before, a 2.0 opening ranks them from
 * their evidence translated through the version mapping, and no ranking in between scores
 * an entry derived for another version.
 */
const EMPLOYER_ORG = '7123456789012';
const LEARNERS = ['rb-a', 'rb-b', 'rb-c', 'rb-d', 'rb-e', 'rb-f'];

let admin: string;
let employer: string;
let center: string;
let opening12: string;

async function openOpening(overrides: Record<string, unknown>) {
  const created = await call('POST', '/v1/openings', { token: employer, body: openingBody(overrides) });
  expect(created.status, created.text).toBe(201);
  expect((await call('PATCH', `/v1/openings/${created.json.openingId}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
  return created.json.openingId as string;
}

const ranking = async (openingId: string) => {
  const res = await call('GET', `/v1/openings/${openingId}/candidates?limit=50`, { token: center });
  expect(res.status, res.text).toBe(200);
  return res.json as { candidates: { candidate: string; score: number; met: { skill: string; attained: string }[] }[]; pendingDerivation?: number };
};
const scores = (r: Awaited<ReturnType<typeof ranking>>) => Object.fromEntries(r.candidates.map((c) => [c.candidate, c.score]));

beforeAll(async () => {
  await seedCatalog();
  admin = await adminToken();
  center = await centerToken('31');
  const provider = await providerToken('prov-rebuild');
  employer = await registerEmployer(EMPLOYER_ORG, '因幡データ株式会社');
  const platform = await registerCourse(provider, { skills: [{ skill: 'data-platform-design', level: 'a' }] });
  const operations = await registerCourse(provider, { skills: [{ skill: 'data-platform-operations', level: 'b' }] });
  for (const [i, id] of LEARNERS.entries()) {
    await createLearner(id, { workPrefectures: ['31'], workStyles: ['full-time'] }, { linkProviders: ['prov-rebuild'] });
    const report = async (courseId: string) =>
      expect((await call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId, completedOn: '2025-05-01' } })).status).toBe(201);
    await report(platform);
    if (i % 2 === 0) await report(operations);
  }
  await runAggregation();
  opening12 = await openOpening({ title: 'データ基盤 (1.2)' });
}, 120_000);

describe('rebuild after a catalog change', () => {
  it('keeps 1.2 rankings exact, ranks 2.0 openings from translated evidence, and never scores a stale entry', async () => {
    const before = await ranking(opening12);
    expect(Object.keys(scores(before)).sort()).toEqual(LEARNERS);

    const rebuildUrl = await installCatalog20(admin);
    const opening20 = await openOpening({
      title: 'データマネジメント (2.0)',
      catalogVersion: '2.0',
      roles: ['data-engineer'],
      required: [{ skill: 'tbd-data-management-1', level: 'b' }],
      niceToHave: [],
    });

    // While the rebuild has not run: 1.2 unchanged, 2.0 ranks nobody and says why.
    expect(scores(await ranking(opening12))).toEqual(scores(before));
    const during = await ranking(opening20);
    expect(during.candidates).toEqual([]);
    expect(during.pendingDerivation).toBe(LEARNERS.length);
    const running = await call('GET', rebuildUrl, { token: admin });
    expect(running.json).toMatchObject({ status: 'running', learnersDone: 0, segments: { total: 16, done: 0 } });

    // Killed after its first recorded page, then run again: it resumes and finishes.
    let pages = 0;
    await expect(
      runRebuild(running.json.rebuildId, {
        segmentsAtOnce: 1,
        checkpoint: (step) => {
          if (step === 'page-recorded' && ++pages === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await runRebuild(running.json.rebuildId);
    const done = await call('GET', rebuildUrl, { token: admin });
    // Every learner with a profile once, although the killed run derived some of them twice.
    expect(done.json).toMatchObject({ status: 'done', learnersDone: LEARNERS.length, errors: 0, segments: { total: 16, done: 16 } });

    expect(scores(await ranking(opening12))).toEqual(scores(before));
    const after = await ranking(opening20);
    expect(after.pendingDerivation).toBeUndefined();
    expect(after.candidates.map((c) => c.candidate).sort()).toEqual(LEARNERS);
    for (const c of after.candidates) expect(c.met).toContainEqual(expect.objectContaining({ skill: 'tbd-data-management-1', attained: 'a' }));

    // A second start with nothing changed answers with the same, finished rebuild.
    const again = await call('POST', '/v1/rebuilds', { token: admin });
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ rebuildId: running.json.rebuildId, status: 'done' });

    await runAggregation();
    expect(await pendingRecordKeys(1)).toEqual([]);
    expect((await recount()).differences).toEqual([]);
  });
});
