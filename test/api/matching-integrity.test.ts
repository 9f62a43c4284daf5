import { beforeAll, describe, expect, it } from 'vitest';
import { runAggregation } from '../../shared/progress/aggregator';
import { call, tokenFor } from '../support/api';
import { centerToken, createLearner, openingBody, profileBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';
import { runRound } from '../support/rounds';

/**
 * Matching integrity (issue 11, item 3): a proposal reaches only people who are still
 * candidates; the organisation sees it only once the candidate has said yes; a person holds
 * one job at a time, whatever the number of rounds and prefectures accepting them at once.
 */
const TOTTORI_ORG = '7123456789012';
const SHIMANE_ORG = '2120901007402';
let provider: string;
let course: string;
let tottori: { employer: string; center: string };
let shimane: { employer: string; center: string };
let sequence = 0;

/** Seats for everyone: who is proposed depends on the rules under test, not on competition. */
async function openOpening(employer: string, workplace: string, title: string) {
  const created = await call('POST', '/v1/openings', { token: employer, body: openingBody({ title, workplace, headcount: 20 }) });
  expect(created.status, created.text).toBe(201);
  expect((await call('PATCH', `/v1/openings/${created.json.openingId}`, { token: employer, body: { status: 'open' } })).status).toBe(200);
  return created.json.openingId as string;
}

async function closeOpening(employer: string, openingId: string) {
  expect((await call('PATCH', `/v1/openings/${openingId}`, { token: employer, body: { status: 'closed' } })).status).toBe(200);
}

/** A consenting learner with verified evidence, wanting full-time work in `prefectures`. */
async function candidate(prefectures: string[]) {
  const learnerId = `mi-${++sequence}`;
  const token = await createLearner(learnerId, { workPrefectures: prefectures, workStyles: ['full-time'] }, { linkProviders: ['prov-integrity'] });
  const logged = await call('POST', '/v1/completions', { token: provider, body: { learnerId, courseId: course, completedOn: '2025-05-01' } });
  expect(logged.status, logged.text).toBe(201);
  await runAggregation();
  return { learnerId, token };
}

/** A published round of the center's prefecture; the proposal of `learnerId` in it. */
async function publishedRound(center: string, prefecture: string, learnerId: string) {
  const round = await runRound(center, { prefecture, dryRun: false });
  const published = await call('POST', `/v1/match-runs/${round.run.runId}/publish`, { token: center });
  expect(published.status, published.text).toBe(200);
  const proposalId = round.proposals.find((p) => p.learnerId === learnerId)?.proposalId as string | undefined;
  return { runId: round.run.runId as string, published: published.json, proposalId };
}

const orgList = async (employer: string) =>
  ((await call('GET', '/v1/proposals?limit=100', { token: employer })).json.proposals as { proposalId: string }[]).map((p) => p.proposalId);

const decide = (token: string, proposalId: string, decision: 'accept' | 'decline') =>
  call('POST', `/v1/proposals/${proposalId}/decision`, { token, body: { decision } });

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-integrity');
  course = await registerCourse(provider, { skills: [{ skill: 'data-platform-design', level: 'a' }] });
  tottori = { employer: await registerEmployer(TOTTORI_ORG, '因幡データ株式会社'), center: await centerToken('31') };
  shimane = { employer: await registerEmployer(SHIMANE_ORG, '出雲テック株式会社', '322016'), center: await centerToken('32') };
}, 120_000);

describe('publishing checks every candidate again', () => {
  it('withdraws the proposal of a learner who withdrew consent after the round was computed: no seat, never shown to the organisation', async () => {
    const opening = await openOpening(tottori.employer, '312011', '同意撤回の確認');
    const { learnerId, token } = await candidate(['31']);
    const round = await runRound(tottori.center, { prefecture: '31', dryRun: false });
    const proposal = round.proposals.find((p) => p.learnerId === learnerId);
    expect(proposal).toBeDefined();
    expect((await call('PUT', '/v1/learners/me', { token, body: profileBody({ workPrefectures: ['31'], matchingConsent: false }) })).status).toBe(200);

    const published = await call('POST', `/v1/match-runs/${round.run.runId}/publish`, { token: tottori.center });
    expect(published.status, published.text).toBe(200);
    expect(published.json.withdrawnAtPublication).toBeGreaterThanOrEqual(1);
    const read = await call('GET', `/v1/proposals/${proposal.proposalId}`, { token: tottori.center });
    expect(read.json).toMatchObject({ status: 'withdrawn', withdrawnReason: 'consent-withdrawn' });
    expect((await call('GET', '/v1/proposals', { token })).json.proposals).toEqual([]);
    expect(await orgList(tottori.employer)).not.toContain(proposal.proposalId);
    expect((await call('GET', `/v1/proposals/${proposal.proposalId}`, { token: tottori.employer })).status).toBe(404);
    expect((await decide(token, proposal.proposalId, 'accept')).status).toBe(409);
    await closeOpening(tottori.employer, opening);
  });

  it('withdraws the proposal of a learner who erased their account in the same gap', async () => {
    const opening = await openOpening(tottori.employer, '312011', '消去の確認');
    const { learnerId, token } = await candidate(['31']);
    const round = await runRound(tottori.center, { prefecture: '31', dryRun: false });
    const proposal = round.proposals.find((p) => p.learnerId === learnerId);
    expect(proposal).toBeDefined();
    expect((await call('DELETE', '/v1/learners/me', { token })).status).toBeLessThan(300);

    expect((await call('POST', `/v1/match-runs/${round.run.runId}/publish`, { token: tottori.center })).status).toBe(200);
    const read = await call('GET', `/v1/proposals/${proposal.proposalId}`, { token: tottori.center });
    expect(read.json).toMatchObject({ status: 'withdrawn', withdrawnReason: 'account-erased' });
    expect(await orgList(tottori.employer)).not.toContain(proposal.proposalId);
    await closeOpening(tottori.employer, opening);
  });

  it('withdraws a published proposal when the candidate withdraws consent afterwards, even one they had accepted', async () => {
    const opening = await openOpening(tottori.employer, '312011', '公開後の撤回');
    const { learnerId, token } = await candidate(['31']);
    const { proposalId } = await publishedRound(tottori.center, '31', learnerId);
    expect((await decide(token, proposalId!, 'accept')).status).toBe(200);
    expect(await orgList(tottori.employer)).toContain(proposalId);

    expect((await call('PUT', '/v1/learners/me', { token, body: profileBody({ workPrefectures: ['31'], matchingConsent: false }) })).status).toBe(200);
    const seen = await call('GET', `/v1/proposals/${proposalId}`, { token: tottori.employer });
    expect(seen.json).toMatchObject({ status: 'withdrawn', withdrawnReason: 'consent-withdrawn' });
    expect(seen.text).not.toContain(learnerId);
    expect((await decide(tottori.employer, proposalId!, 'accept')).status).toBe(409);
    await closeOpening(tottori.employer, opening);
  });
});

describe('the organisation sees a proposal only after the candidate accepts', () => {
  it('lists nothing while the proposal waits for the candidate, nothing after a decline, and the proposal after an accept', async () => {
    const first = await openOpening(tottori.employer, '312011', '候補者の回答前');
    const declining = await candidate(['31']);
    const { proposalId: declined } = await publishedRound(tottori.center, '31', declining.learnerId);
    expect(declined).toBeDefined();
    expect(await orgList(tottori.employer)).not.toContain(declined);
    expect((await call('GET', `/v1/proposals/${declined}`, { token: tottori.employer })).status).toBe(404);
    expect((await decide(tottori.employer, declined!, 'accept')).status).toBe(404);
    expect((await decide(declining.token, declined!, 'decline')).status).toBe(200);
    expect(await orgList(tottori.employer)).not.toContain(declined);
    expect((await call('GET', `/v1/proposals/${declined}`, { token: tottori.employer })).status).toBe(404);
    await closeOpening(tottori.employer, first);

    const second = await openOpening(tottori.employer, '312011', '候補者の承諾後');
    const accepting = await candidate(['31']);
    const { proposalId: accepted } = await publishedRound(tottori.center, '31', accepting.learnerId);
    expect(await orgList(tottori.employer)).not.toContain(accepted);
    expect((await decide(accepting.token, accepted!, 'accept')).status).toBe(200);
    expect(await orgList(tottori.employer)).toContain(accepted);
    const seen = await call('GET', `/v1/proposals/${accepted}`, { token: tottori.employer });
    expect(seen.json).toMatchObject({ status: 'candidate-accepted' });
    expect(seen.text).not.toContain(accepting.learnerId);
    await closeOpening(tottori.employer, second);
  });
});

describe('one job at a time', () => {
  it('keeps a placed learner out of a second round until the placement ends', async () => {
    const first = await openOpening(tottori.employer, '312011', '一人一職 1');
    const person = await candidate(['31']);
    const { proposalId } = await publishedRound(tottori.center, '31', person.learnerId);
    expect((await decide(person.token, proposalId!, 'accept')).status).toBe(200);
    const placed = await decide(tottori.employer, proposalId!, 'accept');
    expect(placed.status, placed.text).toBe(200);
    expect(placed.json.status).toBe('accepted');

    const second = await openOpening(tottori.employer, '312011', '一人一職 2');
    const again = await runRound(tottori.center, { prefecture: '31', dryRun: true });
    expect(again.proposals.map((p) => p.learnerId)).not.toContain(person.learnerId);
    const listed = await call('GET', `/v1/openings/${second}/candidates?limit=100`, { token: tottori.center });
    expect(listed.status).toBe(200);
    expect(listed.json.candidates.map((c: { candidate: string }) => c.candidate)).not.toContain(person.learnerId);

    // The organisation records the last day; from then on the person is a candidate again.
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    expect((await call('POST', `/v1/proposals/${proposalId}/end`, { token: tottori.employer, body: { endedOn: '2019-01-01' } })).status).toBe(422);
    const ended = await call('POST', `/v1/proposals/${proposalId}/end`, { token: tottori.employer, body: { endedOn: today } });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.json).toMatchObject({ status: 'accepted', endedOn: today });
    const afterEnd = await runRound(tottori.center, { prefecture: '31', dryRun: true });
    expect(afterEnd.proposals.map((p) => p.learnerId)).toContain(person.learnerId);
    await closeOpening(tottori.employer, second);
    await closeOpening(tottori.employer, first);
  });

  it('neither loses nor leaks an accept that stopped between its writes: a profile save keeps it, a decline frees what it took', async () => {
    const { claimPerson, getPersonClaim } = await import('../../shared/data/person-claims');
    const { claimSeat, seatsTaken } = await import('../../shared/data/matching');
    const opening = await openOpening(tottori.employer, '312011', '途中で止まった承諾');
    const person = await candidate(['31']);
    const { proposalId } = await publishedRound(tottori.center, '31', person.learnerId);
    const proposal = (await call('GET', `/v1/proposals/${proposalId}`, { token: tottori.center })).json;
    expect((await decide(person.token, proposalId!, 'accept')).status).toBe(200);
    // The organisation's accept took the person and the seat, then its function stopped.
    const halfAccept = async () => {
      expect(
        await claimPerson({ learnerId: person.learnerId, proposalId: proposalId!, openingId: proposal.openingId, claimedAt: new Date().toISOString() }),
      ).toBe(true);
      expect(await claimSeat(proposal.openingId, proposalId!, 20)).toBe(true);
    };
    await halfAccept();
    // Saving the profile does not mistake the proposal's own accept for another job.
    expect(
      (await call('PUT', '/v1/learners/me', { token: person.token, body: profileBody({ workPrefectures: ['31'], workStyles: ['full-time'] }) })).status,
    ).toBe(200);
    const seen = await call('GET', `/v1/proposals/${proposalId}`, { token: tottori.employer });
    expect(seen.json.status).toBe('accepted');
    await closeOpening(tottori.employer, opening);

    // The same on another proposal, then the organisation declines: the seat and the person go back.
    const second = await openOpening(tottori.employer, '312011', '途中で止まった承諾 2');
    const other = await candidate(['31']);
    const round = await publishedRound(tottori.center, '31', other.learnerId);
    const otherProposal = (await call('GET', `/v1/proposals/${round.proposalId}`, { token: tottori.center })).json;
    expect((await decide(other.token, round.proposalId!, 'accept')).status).toBe(200);
    expect(
      await claimPerson({ learnerId: other.learnerId, proposalId: round.proposalId!, openingId: otherProposal.openingId, claimedAt: new Date().toISOString() }),
    ).toBe(true);
    expect((await decide(tottori.employer, round.proposalId!, 'decline')).status).toBe(200);
    expect(await getPersonClaim(other.learnerId)).toBeUndefined();
    expect((await seatsTaken(otherProposal.openingId)).has(round.proposalId!)).toBe(false);
    await closeOpening(tottori.employer, second);
  });

  it('lets only one of two concurrent accepts for the same person in two prefectures win', async () => {
    const inTottori = await openOpening(tottori.employer, '312011', '同時承諾 鳥取');
    const inShimane = await openOpening(shimane.employer, '322016', '同時承諾 島根');
    const person = await candidate(['31', '32']);
    const a = await publishedRound(tottori.center, '31', person.learnerId);
    const b = await publishedRound(shimane.center, '32', person.learnerId);
    expect(a.proposalId && b.proposalId).toBeTruthy();
    expect((await decide(person.token, a.proposalId!, 'accept')).status).toBe(200);
    expect((await decide(person.token, b.proposalId!, 'accept')).status).toBe(200);

    const answers = await Promise.all([decide(tottori.employer, a.proposalId!, 'accept'), decide(shimane.employer, b.proposalId!, 'accept')]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const admin = await tokenFor({ sub: 'admin-1', role: 'admin' });
    const statuses = await Promise.all([a.proposalId!, b.proposalId!].map(async (id) => (await call('GET', `/v1/proposals/${id}`, { token: admin })).json));
    expect(statuses.map((p) => p.status).sort()).toEqual(['accepted', 'withdrawn']);
    expect(statuses.find((p) => p.status === 'withdrawn')).toMatchObject({ withdrawnReason: 'placed-elsewhere' });
    // The loser's seat is still free.
    const loser = statuses.find((p) => p.status === 'withdrawn')!;
    const loserOpening = loser.openingId === inTottori ? inTottori : inShimane;
    expect((await call('GET', `/v1/openings/${loserOpening}`, { token: admin })).json.status).toBe('open');
  });
});
