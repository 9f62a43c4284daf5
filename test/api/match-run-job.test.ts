import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as matchRunWorker } from '../../functions/jobs/match-run-worker';
import { allProposalsOfRun, failRequestedRun, getMatchRun, putMatchRun, putProposals, type Proposal } from '../../shared/data/matching';
import { jobs } from '../../shared/jobs';
import { runAggregation } from '../../shared/progress/aggregator';
import { call } from '../support/api';
import { centerToken, createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';
import { runRound } from '../support/rounds';

/**
 * A round is a job (issue 17, item 4): POST /v1/match-runs answers 202 with the round
 * as requested, and the match-run job computes it. SQS delivers at least once, so the job
 * must compute a round once however many deliveries arrive, and leave nothing of an
 * interrupted attempt.
 */
let center: string;
let sequence = 0;

/** A run as the route stores it, without the message the route sends (the test delivers its own). */
async function requestedRun(createdAt = new Date()): Promise<string> {
  const runId = `run_${String(++sequence).padStart(20, '0')}`;
  await putMatchRun({
    runId,
    prefecture: '33',
    createdBy: { sub: 'center-33', role: 'center' },
    createdAt: createdAt.toISOString(),
    dryRun: false,
    includeSelfReported: false,
    status: 'computing',
  });
  return runId;
}

const delivery = (runId: string, receives = 1): SQSEvent => ({
  Records: [
    {
      messageId: `m-${runId}-${receives}-${Math.random()}`,
      receiptHandle: 'r',
      body: JSON.stringify({ runId }),
      attributes: { ApproximateReceiveCount: String(receives), SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-northeast-1:000000000000:match-runs',
      awsRegion: 'ap-northeast-1',
    },
  ],
});

beforeAll(async () => {
  await seedCatalog();
  const provider = await providerToken('prov-job');
  const course = await registerCourse(provider, { skills: [{ skill: 'data-platform-design', level: 'a' }] });
  for (const learnerId of ['job-a', 'job-b', 'job-c']) {
    await createLearner(learnerId, { workPrefectures: ['33'], workStyles: ['full-time'] }, { linkProviders: ['prov-job'] });
    const logged = await call('POST', '/v1/completions', { token: provider, body: { learnerId, courseId: course, completedOn: '2025-05-01' } });
    expect(logged.status, logged.text).toBe(201);
  }
  await runAggregation();
  const employer = await registerEmployer('6012345678901', '岡山データ株式会社', '332011');
  const created = await call('POST', '/v1/openings', { token: employer, body: openingBody({ title: '岡山 データ', workplace: '332011', headcount: 2 }) });
  expect(created.status, created.text).toBe(201);
  expect((await call('PATCH', `/v1/openings/${created.json.openingId}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
  center = await centerToken('33');
}, 120_000);

describe('a requested round', () => {
  it('answers 202 with the round computing, shows no proposals and refuses to publish until the job has computed it', async () => {
    const requested = await call('POST', '/v1/match-runs', { token: center, body: { prefecture: '33', dryRun: false } });
    expect(requested.status, requested.text).toBe(202);
    expect(requested.json).toMatchObject({ prefecture: '33', status: 'computing', dryRun: false });
    expect(requested.json.counts).toBeUndefined();
    expect(requested.headers.location).toBe(`/v1/match-runs/${requested.json.runId}`);

    const round = await runRound(center, { prefecture: '33', dryRun: false });
    expect(round.run).toMatchObject({ status: 'unpublished', stable: true, counts: { openings: 1, seats: 2, matched: 2 } });
    expect(round.run.computedAt).toBeDefined();
    expect(round.proposals).toHaveLength(2);
  });

  it('is computed once when two deliveries of its message arrive at the same time', async () => {
    const runId = await requestedRun();
    const answers = await Promise.all([matchRunWorker(delivery(runId)), matchRunWorker(delivery(runId))]);
    // One delivery computed it; the other found it held and gave its message back.
    expect(answers.map((a) => a.batchItemFailures.length).sort()).toEqual([0, 1]);
    const run = await getMatchRun(runId);
    expect(run).toMatchObject({ status: 'unpublished', counts: { matched: 2 } });
    expect(await allProposalsOfRun(runId)).toHaveLength(2);
    // The message given back comes again later: nothing changes.
    expect((await matchRunWorker(delivery(runId, 2))).batchItemFailures).toEqual([]);
    expect(await getMatchRun(runId)).toEqual(run);
    const published = await call('POST', `/v1/match-runs/${runId}/publish`, { token: center });
    expect(published.status, published.text).toBe(200);
  });

  it('discards what an interrupted attempt stored, so the run holds exactly the proposals it counts', async () => {
    const runId = await requestedRun();
    const [computed] = await allProposalsOfRun((await runRound(center, { prefecture: '33', dryRun: true })).run.runId);
    // An earlier attempt proposed someone this attempt will not: a different round of data.
    const stray: Proposal = { ...computed!, runId, proposalId: 'prp_000000000000000000000000', learnerId: 'job-gone' };
    await putProposals([stray]);
    expect((await matchRunWorker(delivery(runId))).batchItemFailures).toEqual([]);
    const proposals = await allProposalsOfRun(runId);
    expect(proposals.map((p) => p.learnerId)).not.toContain('job-gone');
    expect(await getMatchRun(runId)).toMatchObject({ status: 'unpublished', counts: { matched: 2 } });
    expect(proposals).toHaveLength(2);
    expect((await call('POST', `/v1/match-runs/${runId}/publish`, { token: center })).status).toBe(200);
  });

  it('reports a round whose every delivery ended without finishing (a worker that timed out) as failed once they must have ended', async () => {
    const runId = await requestedRun(new Date(Date.now() - 4 * 3600_000));
    const seen = await call('GET', `/v1/match-runs/${runId}`, { token: center });
    expect(seen.json).toMatchObject({ status: 'failed' });
    expect(seen.json.failure).toContain('3 hours');
  });

  it('reports a round that failed, and why, instead of computing for ever', async () => {
    const runId = await requestedRun();
    await failRequestedRun(runId, 'Error: the shortlists could not be read');
    const read = await call('GET', `/v1/match-runs/${runId}`, { token: center });
    expect(read.json).toMatchObject({ status: 'failed', failure: 'Error: the shortlists could not be read' });
    const publish = await call('POST', `/v1/match-runs/${runId}/publish`, { token: center });
    expect(publish.status).toBe(409);
    expect(publish.json.detail).toContain('the shortlists could not be read');
    // A late delivery of its message does not bring it back.
    expect((await matchRunWorker(delivery(runId, jobs.matchRunWorker.trigger.maxReceives))).batchItemFailures).toEqual([]);
    expect((await getMatchRun(runId))?.status).toBe('failed');
  });
});
