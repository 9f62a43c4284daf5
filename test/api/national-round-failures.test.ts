import { beforeAll, describe, expect, it } from 'vitest';
import { handler as summaryStep } from '../../functions/jobs/national-round-summary';
import { localGovernmentCheckDigit } from '../../shared/ids';
import { planNationalRound, runNationalRoundInProcess, runPrefectureStep } from '../../shared/workflows/national-round';
import { call } from '../support/api';
import { adminToken, centerToken, openingBody, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * A prefecture whose round fails is caught, listed as failed, and the other prefectures
 * finish: the Map state's Catch in AWS (infra/constructs/national-round.ts), the same on
 * the local host, which runs the steps in process.
 */
const admin = { sub: 'admin-1', role: 'admin' } as const;
const options = { dryRun: true, includeSelfReported: false };

async function openOpening(token: string, overrides: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/openings', { token, body: openingBody(overrides) });
  expect(created.status, created.text).toBe(201);
  const opened = await call('PATCH', `/v1/openings/${created.json.openingId}`, { token, body: { status: 'open' } });
  expect(opened.status, opened.text).toBe(200);
}

beforeAll(async () => {
  await seedCatalog();
  const employer = await registerEmployer('7123456789012', '因幡データ株式会社');
  await openOpening(employer, { title: '鳥取のデータエンジニア' });
  await openOpening(employer, { title: '松江のデータエンジニア', workplace: `32201${localGovernmentCheckDigit('32201')}` });
}, 60_000);

const failingIn =
  (failing: string): typeof runPrefectureStep =>
  async (plan, prefecture, now) => {
    if (prefecture === failing) throw new Error('the matcher ran out of memory');
    return runPrefectureStep(plan, prefecture, now);
  };

describe('a national round with a failing prefecture', () => {
  it('lists the failed prefecture on the local host, and the others finish', async () => {
    const round = await runNationalRoundInProcess(admin, options, new Date(), failingIn('31'));
    expect(round.prefectures).toEqual(['31', '32']);
    expect(round.runs).toEqual([
      { prefecture: '31', failed: true, error: 'Error: the matcher ran out of memory' },
      expect.objectContaining({ prefecture: '32', runId: expect.stringMatching(/^run_/), stable: true }),
    ]);
    expect(round.totals).toMatchObject({ prefectures: 2, failed: 1 });

    const stored = await call('GET', `/v1/national-match-runs/${round.nationalRunId}`, { token: await adminToken() });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.runs.map((r: { prefecture: string; failed?: boolean }) => [r.prefecture, r.failed ?? false])).toEqual([
      ['31', true],
      ['32', false],
    ]);
    const shimane = stored.json.runs[1];
    expect((await call('GET', `/v1/match-runs/${shimane.runId}`, { token: await centerToken('32') })).status).toBe(200);
  });

  it('lists a prefecture the Map state caught, as Step Functions hands it to the summary step', async () => {
    const plan = await planNationalRound(admin, options, new Date());
    const shimane = await runPrefectureStep(plan, '32', new Date());
    const outcomes = [
      shimane,
      {
        prefecture: '31',
        failed: true as const,
        error: { Error: 'Error', Cause: JSON.stringify({ errorType: 'RangeError', errorMessage: 'Invalid array length', trace: ['at solve'] }) },
      },
    ];
    await summaryStep({ plan: { ...plan, outcomes }, outcomes });

    const stored = await call('GET', `/v1/national-match-runs/${plan.nationalRunId}`, { token: await adminToken() });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.runs[0]).toEqual({ prefecture: '31', failed: true, error: 'RangeError: Invalid array length' });
    expect(stored.json.runs[1]).toMatchObject({ prefecture: '32', runId: shimane.runId });
    expect(stored.json.totals).toMatchObject({ prefectures: 2, failed: 1 });
  });
});
