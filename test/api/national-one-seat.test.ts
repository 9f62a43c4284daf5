import { beforeAll, describe, expect, it } from 'vitest';
import { allProposalsOfRun } from '../../shared/data/matching';
import { localGovernmentCheckDigit } from '../../shared/ids';
import { runAggregation } from '../../shared/progress/aggregator';
import { runNationalRoundInProcess } from '../../shared/workflows/national-round';
import { call } from '../support/api';
import { createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * A national round solves each prefecture on its own, so a person who wants to work in
 * two prefectures could be given a seat in both. Before anything is published, each
 * person keeps one proposal; the other is withdrawn and the summary says the national
 * outcome is no longer certified stable.
 */
const admin = { sub: 'admin-1', role: 'admin' } as const;

async function openOpening(token: string, overrides: Record<string, unknown>) {
  const created = await call('POST', '/v1/openings', { token, body: openingBody(overrides) });
  expect(created.status, created.text).toBe(201);
  expect((await call('PATCH', `/v1/openings/${created.json.openingId}`, { token, body: { status: 'open' } })).status).toBe(200);
}

beforeAll(async () => {
  await seedCatalog();
  const provider = await providerToken('prov-national');
  const course = await registerCourse(provider, { skills: [{ skill: 'data-platform-design', level: 'a' }] });
  for (const [learnerId, places] of [
    ['two-places', ['31', '32']],
    ['only-tottori', ['31']],
  ] as const) {
    await createLearner(learnerId, { workPrefectures: places, workStyles: ['full-time'] }, { linkProviders: ['prov-national'] });
    const logged = await call('POST', '/v1/completions', { token: provider, body: { learnerId, courseId: course, completedOn: '2025-05-01' } });
    expect(logged.status, logged.text).toBe(201);
  }
  await runAggregation();
  const employer = await registerEmployer('7123456789012', '因幡データ株式会社');
  await openOpening(employer, { title: '鳥取 データ', headcount: 2 });
  await openOpening(employer, { title: '松江 データ', workplace: `32201${localGovernmentCheckDigit('32201')}`, headcount: 2 });
}, 120_000);

describe('a national round', () => {
  it('gives a person at most one seat across prefectures, and says the outcome is no longer certified stable', async () => {
    const round = await runNationalRoundInProcess(admin, { dryRun: false, includeSelfReported: false }, new Date());
    expect(round.prefectures).toEqual(['31', '32']);
    const proposals = (await Promise.all(round.runs.map((r) => ('runId' in r ? allProposalsOfRun(r.runId) : [])))).flat();
    const held = (learnerId: string) => proposals.filter((p) => p.learnerId === learnerId);
    // Matched in both prefectures by their rounds: one stands, the other is withdrawn before publication.
    expect(
      held('two-places')
        .map((p) => p.status)
        .sort(),
    ).toEqual(['unpublished', 'withdrawn']);
    expect(held('two-places').find((p) => p.status === 'withdrawn')).toMatchObject({ withdrawnReason: 'matched-elsewhere' });
    expect(held('only-tottori').map((p) => p.status)).toEqual(['unpublished']);
    expect(round.totals).toMatchObject({ withdrawnDuplicates: 1, stable: false });
  });
});
