import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { anonymousHandle } from '../../shared/domain/candidates';
import type { SQSEvent } from 'aws-lambda';
import { handler as matchRunWorker } from '../../functions/jobs/match-run-worker';
import { getCycle, leaseCycleRun, putOutcomes, startCycleRun } from '../../shared/data/match-cycles';
import { discardProposalsOfRun, getProposal, putProposals, type Proposal } from '../../shared/data/matching';
import {
  buildCycleInstance,
  CYCLE_RUN_FAILED,
  finishCycle,
  inputDigest,
  proposalsOf,
  RUN_GRACE_MS,
  solveCycle,
  storedCycleInput,
  withRegions,
} from '../../shared/domain/match-cycle-run';
import { giveUpCycleStep } from '../../shared/workflows/match-cycle';
import { findBlockingPairs, solve } from '../../shared/matching/deferred-acceptance';
import { runAggregation } from '../../shared/progress/aggregator';
import { forgetServiceKeys } from '../../shared/service-keys';
import { call } from '../support/api';
import { adminToken, centerToken, createLearner, openingBody, providerToken, registerCourse, registerEmployer, seedCatalog } from '../support/fixtures';

/**
 * Matching cycles: both sides' own rank lists, the ranking window, one market nationally,
 * explanations, and what is kept (audit, export, the inputs to solve again).
 */

const EMPLOYER_A = '7123456789012';
const EMPLOYER_B = '2120901007402';
let employerA: string;
let employerB: string;
let center31: string;
let admin: string;
let strongCourse: string;
let weakCourse: string;
let provider: string;

const HOUR = 3600_000;

async function openOpening(token: string, overrides: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/openings', { token, body: openingBody(overrides) });
  expect(created.status, created.text).toBe(201);
  const opened = await call('PATCH', `/v1/openings/${created.json.openingId}`, { token, body: { status: 'open' } });
  expect(opened.status, opened.text).toBe(200);
  return created.json.openingId as string;
}

/** A consenting learner (lives in Tokyo, wants 31 and 32, full-time) with verified evidence of `course`. */
async function learner(id: string, course: string) {
  const token = await createLearner(id, {}, { linkProviders: ['prov-cycles'] });
  const res = await call('POST', '/v1/completions', { token: provider, body: { learnerId: id, courseId: course, completedOn: '2025-05-01' } });
  expect(res.status, res.text).toBe(201);
  return token;
}

async function openCycle(token: string, body: Record<string, unknown>) {
  const res = await call('POST', '/v1/match-cycles', { token, body });
  expect(res.status, res.text).toBe(201);
  expect(res.headers.location).toBe(`/v1/match-cycles/${res.json.cycleId}`);
  return res.json;
}

const windowFromNow = (hours: number) => ({ from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + hours * HOUR).toISOString() });

/** Moves the clock the product reads (tokens stay valid for 12 hours). */
function travelTo(at: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

afterEach(() => {
  vi.useRealTimers();
});

/** Runs the cycle (202: the match-run job computes it, here on the in-process queue) and follows its Location until it has run. */
async function runCycle(token: string, cycleId: string) {
  const requested = await call('POST', `/v1/match-cycles/${cycleId}/run`, { token });
  expect(requested.status, requested.text).toBe(202);
  expect(requested.json.status).toBe('running');
  // Counted, not timed: the clock the product reads may be stopped (travelTo).
  for (let attempt = 0; attempt < 3000; attempt++) {
    const read = await call('GET', requested.headers.location!, { token });
    expect(read.status, read.text).toBe(200);
    if (read.json.status !== 'running') return read.json;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`cycle ${cycleId} still running`);
}

async function putList(token: string, cycleId: string, openings: string[]) {
  return call('PUT', `/v1/match-cycles/${cycleId}/rank-lists/me`, { token, body: { openings } });
}

/** The organisation's handles of the candidates who listed the opening, by what the test knows of them (their fit). */
async function interestedHandles(token: string, cycleId: string, openingId: string) {
  const res = await call('GET', `/v1/match-cycles/${cycleId}/openings`, { token });
  expect(res.status, res.text).toBe(200);
  expect(res.json.view).toBe('organisation');
  return res.json.openings.find((o: { openingId: string }) => o.openingId === openingId) as {
    interested: { candidate: string; score: number; requiredMet: string }[];
    list: string[] | null;
  };
}

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-cycles');
  strongCourse = await registerCourse(provider, {
    skills: [
      { skill: 'data-platform-design', level: 'a' },
      { skill: 'data-platform-operations', level: 'a' },
    ],
  });
  weakCourse = await registerCourse(provider, { title: '入門', skills: [{ skill: 'data-platform-design', level: 'c' }] });
  employerA = await registerEmployer(EMPLOYER_A, '因幡データ株式会社');
  employerB = await registerEmployer(EMPLOYER_B, '出雲テック株式会社', '322016');
  center31 = await centerToken('31');
  admin = await adminToken();
}, 120_000);

describe('a prefectural cycle with both sides’ lists', () => {
  let cycleId: string;
  let fitFirst: string; // fits c-strong best
  let second: string;
  const tokens = {} as { strong: string; weak: string; silent: string; leftOff: string };

  beforeAll(async () => {
    fitFirst = await openOpening(employerA, { title: '基盤設計' });
    second = await openOpening(employerA, {
      title: 'クラウド運用',
      required: [
        { skill: 'data-platform-design', level: 'b' },
        { skill: 'cloud-infrastructure', level: 'b' },
      ],
      niceToHave: [],
    });
    tokens.strong = await learner('cy-strong', strongCourse);
    tokens.weak = await learner('cy-weak', weakCourse);
    tokens.silent = await learner('cy-silent', weakCourse);
    tokens.leftOff = await learner('cy-left-off', weakCourse);
    await runAggregation();
    cycleId = (await openCycle(center31, { openings: [fitFirst, second], window: windowFromNow(1) })).cycleId;
  }, 120_000);

  it('shows a candidate the openings that fit them, best fit first, with met and missing items', async () => {
    const res = await call('GET', `/v1/match-cycles/${cycleId}/openings`, { token: tokens.strong });
    expect(res.status, res.text).toBe(200);
    expect(res.json.view).toBe('candidate');
    expect(res.json.yourList).toBeNull();
    expect(res.json.openings.map((o: { openingId: string }) => o.openingId)).toEqual([fitFirst, second]);
    const [best, other] = res.json.openings;
    expect(best.fit.requiredMet).toBe('2/2');
    expect(other.fit.missing).toContainEqual(expect.objectContaining({ skill: 'cloud-infrastructure', kind: 'required' }));
  });

  it('takes each side’s list while the window is open, and refuses openings outside the cycle', async () => {
    expect((await putList(tokens.strong, cycleId, [second, fitFirst])).status).toBe(200);
    expect((await putList(tokens.weak, cycleId, [fitFirst])).status).toBe(200);
    // Replaceable until the window closes.
    const replaced = await putList(tokens.weak, cycleId, [fitFirst, second]);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({ openings: [fitFirst, second], listUsed: 'your own list' });
    expect((await putList(tokens.leftOff, cycleId, [fitFirst])).status).toBe(200);
    const outside = await putList(tokens.silent, cycleId, ['opn_00000000000000000000']);
    expect(outside.status, outside.text).toBe(422);
    expect(outside.json.errors[0].field).toBe('openings[0]');

    // The organisation sees who listed its opening by handle, never by name or id, and ranks the weaker one first.
    const view = await interestedHandles(employerA, cycleId, fitFirst);
    expect(view.list).toBeNull();
    expect(JSON.stringify(view)).not.toMatch(/cy-|山田/);
    expect(view.interested).toHaveLength(3);
    expect(view.interested[0]!.requiredMet).toBe('2/2');
    // The test knows whose handle is whose (the organisation interviews out of band): cy-weak first, cy-strong second, cy-left-off left off.
    const [weakHandle, strongHandle] = await Promise.all([anonymousHandle(fitFirst, 'cy-weak'), anonymousHandle(fitFirst, 'cy-strong')]);
    expect(view.interested.map((c) => c.candidate)).toEqual(expect.arrayContaining([weakHandle, strongHandle]));
    const ranked = await call('PUT', `/v1/match-cycles/${cycleId}/openings/${fitFirst}/rank-list`, {
      token: employerA,
      body: { candidates: [weakHandle, strongHandle] },
    });
    expect(ranked.status, ranked.text).toBe(200);
    const unknown = await call('PUT', `/v1/match-cycles/${cycleId}/openings/${fitFirst}/rank-list`, {
      token: employerA,
      body: { candidates: ['cand_0000000000000000'] },
    });
    expect(unknown.status).toBe(422);
    // Another organisation has no such opening.
    expect((await call('PUT', `/v1/match-cycles/${cycleId}/openings/${fitFirst}/rank-list`, { token: employerB, body: { candidates: [] } })).status).toBe(404);
  });

  it('refuses to run before the window closes, and lists after it', async () => {
    const early = await call('POST', `/v1/match-cycles/${cycleId}/run`, { token: center31 });
    expect(early.status, early.text).toBe(409);
    travelTo(Date.now() + 2 * HOUR);
    const late = await putList(tokens.silent, cycleId, [fitFirst]);
    expect(late.status, late.text).toBe(409);
    expect(late.json.detail).toMatch(/closed/);
    const lateOrg = await call('PUT', `/v1/match-cycles/${cycleId}/openings/${fitFirst}/rank-list`, { token: employerA, body: { candidates: [] } });
    expect(lateOrg.status).toBe(409);
  });

  it('follows the lists, not fit order, stably, and says which list was used', async () => {
    travelTo(Date.now() + 2 * HOUR);
    expect((await call('POST', `/v1/match-cycles/${cycleId}/run`, { token: await centerToken('32') })).status).toBe(404);
    const run = await runCycle(center31, cycleId);
    expect(run).toMatchObject({ status: 'matched', result: { stable: true } });
    expect((await call('POST', `/v1/match-cycles/${cycleId}/run`, { token: center31 })).status).toBe(409);

    const stored = (await storedCycleInput(cycleId))!;
    const seat = new Map(stored.assignments.map((a) => [a.candidate, a.opening]));
    // Fit order would seat cy-strong at the opening they fit best; their own list put the other first.
    expect(seat.get('cy-strong')).toBe(second);
    expect(seat.get('cy-weak')).toBe(fitFirst);
    expect(seat.has('cy-silent')).toBe(false);
    expect(findBlockingPairs(stored.instance, { assignments: stored.assignments })).toEqual([]);

    const strong = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: tokens.strong })).json;
    expect(strong.you.listUsed).toBe('your own list');
    expect(strong.you.outcome.matched.openingId).toBe(second);
    expect(strong.you.outcome.openings).toEqual([
      expect.objectContaining({ openingId: second, position: 1, reason: 'matched', openingListUsed: 'fit order: no list submitted' }),
      expect.objectContaining({ openingId: fitFirst, position: 2, reason: 'matched-higher-choice', openingListUsed: 'its own list' }),
    ]);
    const silent = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: tokens.silent })).json;
    expect(silent.you.listUsed).toBe('fit order: no list submitted');
    expect(silent.you.outcome.matched).toBeNull();
    expect(silent.you.outcome.openings).toContainEqual(expect.objectContaining({ openingId: second, reason: 'filled-by-higher-ranked' }));
    const leftOff = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: tokens.leftOff })).json;
    expect(leftOff.you.outcome.openings).toEqual([
      expect.objectContaining({ openingId: fitFirst, reason: 'not-on-opening-list', openingListUsed: 'its own list' }),
    ]);

    // The matched pair is a proposal the candidate can accept, as from any round.
    const proposals = (await call('GET', '/v1/proposals', { token: tokens.strong })).json.proposals;
    expect(proposals).toContainEqual(expect.objectContaining({ openingId: second, status: 'proposed', proposalId: strong.you.outcome.matched.proposalId }));
    const accepted = await call('POST', `/v1/proposals/${strong.you.outcome.matched.proposalId}/decision`, {
      token: tokens.strong,
      body: { decision: 'accept' },
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json.status).toBe('candidate-accepted');

    // The organisation: whom it got and who ranked its openings, by handle only.
    const org = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: employerA })).json;
    expect(JSON.stringify(org)).not.toMatch(/cy-/);
    const first = org.openingOutcomes.find((o: { openingId: string }) => o.openingId === fitFirst);
    expect(first).toMatchObject({ listUsed: 'your own list', seats: 1, unfilled: 0 });
    expect(first.rankedBy.map((r: { outcome: string }) => r.outcome).sort()).toEqual(['matched-here', 'matched-higher-choice', 'not-on-opening-list']);
    // Where each candidate put the opening is their own list: not the organisation's to see.
    for (const r of first.rankedBy) expect(r).not.toHaveProperty('position');
    const center = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: center31 })).json;
    for (const r of center.openingOutcomes.find((o: { openingId: string }) => o.openingId === fitFirst).rankedBy) expect(r.position).toBeGreaterThan(0);
    expect(center.openingOutcomes.find((o: { openingId: string }) => o.openingId === second)).toMatchObject({
      listUsed: 'fit order: no list submitted',
      filled: ['cy-strong'],
    });
  });

  it('reproduces the result from the stored lists', async () => {
    const stored = (await storedCycleInput(cycleId))!;
    const again = solve(stored.instance);
    expect(again.assignments).toEqual(stored.assignments);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(JSON.stringify(stored.instance)).digest('hex')).toBe(stored.cycle.result!.inputDigest);
  });

  it("puts the candidate's lists, and being ranked, in their export", async () => {
    const answer = await call('GET', '/v1/learners/me/export', { token: tokens.weak });
    expect(answer.status, answer.text).toBe(200);
    const exported = answer.json;
    expect(exported.rankLists).toEqual([expect.objectContaining({ cycleId, openings: [fitFirst, second] })]);
    // And what the cycle gave them, with the reason for each opening on their list.
    expect(exported.cycleOutcomes).toEqual([
      expect.objectContaining({
        cycleId,
        listUsed: 'own-list',
        matchedOpening: fitFirst,
        reasons: expect.arrayContaining([{ openingId: fitFirst, reason: 'matched' }]),
      }),
    ]);
    const actions = exported.accessLog.map((e: { action: string }) => e.action);
    expect(actions).toContain('rank-list-submitted');
    expect(actions).toContain('ranked-by-organisation');
  });
});

describe('one cycle at a time', () => {
  it('refuses a person’s list for a second cycle until the first has run', async () => {
    const a = await openOpening(employerA, { title: '一つ目' });
    const b = await openOpening(employerB, { title: '二つ目', workplace: '322016' });
    const token = await learner('cy-twice', strongCourse);
    await runAggregation();
    const first = (await openCycle(center31, { openings: [a], window: windowFromNow(1) })).cycleId;
    const second = (await openCycle(await centerToken('32'), { openings: [b], window: windowFromNow(5) })).cycleId;
    expect((await putList(token, first, [a])).status).toBe(200);
    const refused = await putList(token, second, [b]);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.detail).toContain(first);
    // Once the first has run, the second takes them.
    travelTo(Date.now() + 2 * HOUR);
    expect((await runCycle(center31, first)).status).toBe('matched');
    expect((await putList(token, second, [b])).status).toBe(200);
  });
});

describe('a national cycle', () => {
  it('is one market: nobody gets two seats, and the result is one deferred acceptance over the union', async () => {
    const tottori = await openOpening(employerA, { title: '鳥取の席', headcount: 2 });
    const shimane = await openOpening(employerB, { title: '島根の席', workplace: '322016' });
    const people = ['cy-n1', 'cy-n2', 'cy-n3'];
    const tokens = await Promise.all(people.map((id, i) => learner(id, i === 0 ? strongCourse : weakCourse)));
    await runAggregation();
    const cycle = await openCycle(admin, { openings: [tottori, shimane], window: windowFromNow(1) });
    expect(cycle).toMatchObject({ scope: 'national' });
    // Everyone lists both prefectures; cy-n1 and cy-n2 prefer Shimane.
    const lists: Record<string, string[]> = { 'cy-n1': [shimane, tottori], 'cy-n2': [shimane, tottori], 'cy-n3': [tottori, shimane] };
    for (const [i, id] of people.entries()) expect((await putList(tokens[i]!, cycle.cycleId, lists[id]!)).status).toBe(200);
    // Each organisation ranks everyone who listed it, in reverse of fit.
    const handleOwners = new Map<string, string>();
    for (const [token, openingId] of [
      [employerA, tottori],
      [employerB, shimane],
    ] as const) {
      const view = await interestedHandles(token, cycle.cycleId, openingId);
      const ordered = [...view.interested].sort((x, y) => x.score - y.score).map((c) => c.candidate);
      expect(ordered).toHaveLength(3);
      const res = await call('PUT', `/v1/match-cycles/${cycle.cycleId}/openings/${openingId}/rank-list`, { token, body: { candidates: ordered } });
      expect(res.status, res.text).toBe(200);
      handleOwners.set(openingId, ordered.join(','));
    }
    travelTo(Date.now() + 2 * HOUR);
    expect((await call('POST', `/v1/match-cycles/${cycle.cycleId}/run`, { token: center31 })).status).toBe(403);
    expect((await runCycle(admin, cycle.cycleId)).result.stable).toBe(true);
    const stored = (await storedCycleInput(cycle.cycleId))!;
    const seated = stored.assignments.map((a) => a.candidate);
    expect(new Set(seated).size).toBe(seated.length);
    expect(seated).toHaveLength(3);
    // The union, built from what the test itself submitted: the same single deferred acceptance.
    for (const c of stored.instance.candidates) expect(c.prefs).toEqual(lists[c.id]);
    expect(solve(stored.instance).assignments).toEqual(stored.assignments);
    // Run through the workflow's steps (rankings built a prefecture at a time, one solve, proposals a
    // prefecture at a time): the same input and result as one delivery building everything in process.
    const built = await buildCycleInstance(stored.cycle, new Date());
    const inOneGo = withRegions(built.instance, built.regions);
    expect(inputDigest(inOneGo)).toBe(stored.cycle.result!.inputDigest);
    expect(solve(inOneGo).assignments).toEqual(stored.assignments);
    const proposals = (await Promise.all(tokens.map(async (token) => (await call('GET', '/v1/proposals', { token })).json.proposals))).flat();
    expect(proposals.filter((p: { runId?: string; openingId: string }) => [tottori, shimane].includes(p.openingId))).toHaveLength(3);
    // Shimane's one seat goes to the candidate it ranked first of the two who wanted it most: the weakest fit of them.
    const shimaneSeat = stored.assignments.filter((a) => a.opening === shimane);
    expect(shimaneSeat).toHaveLength(1);
    expect(shimaneSeat[0]!.candidate).toBe('cy-n2');
    // Every center reads a national cycle, and is shown its own prefecture's openings; admin the totals.
    const center = (await call('GET', `/v1/match-cycles/${cycle.cycleId}`, { token: center31 })).json;
    expect(center.openingOutcomes.map((o: { openingId: string }) => o.openingId)).toEqual([tottori]);
    const national = (await call('GET', `/v1/match-cycles/${cycle.cycleId}`, { token: admin })).json;
    expect(national.result.counts).toMatchObject({ matched: 3, seats: 3 });
    expect(national.openingOutcomes).toEqual([]);
  });
});

describe('a national cycle with a regional cap', () => {
  it('fills no more seats in the region than its cap, and tells the others so', async () => {
    const tottori = await openOpening(employerA, { title: '山陰・鳥取' });
    const shimane = await openOpening(employerB, { title: '山陰・島根', workplace: '322016' });
    const people = ['cy-r1', 'cy-r2'];
    const tokens = await Promise.all(people.map((id) => learner(id, strongCourse)));
    await runAggregation();
    const refused = await call('POST', '/v1/match-cycles', {
      token: admin,
      body: {
        openings: [tottori],
        window: windowFromNow(1),
        regions: [
          { id: 'a', prefectures: ['31'], cap: 1 },
          { id: 'b', prefectures: ['31', '32'], cap: 1 },
        ],
      },
    });
    expect(refused.status, refused.text).toBe(422);
    const sameId = await call('POST', '/v1/match-cycles', {
      token: admin,
      body: {
        openings: [tottori],
        window: windowFromNow(1),
        regions: [
          { id: 'a', prefectures: ['31'], cap: 1 },
          { id: 'a', prefectures: ['32'], cap: 1 },
        ],
      },
    });
    expect(sameId.status, sameId.text).toBe(422);
    expect(sameId.text).toContain('ids must be unique');
    const cycle = await openCycle(admin, {
      openings: [tottori, shimane],
      window: windowFromNow(1),
      regions: [{ id: 'sanin', prefectures: ['31', '32'], cap: 1 }],
    });
    for (const token of tokens) expect((await putList(token, cycle.cycleId, [tottori, shimane])).status).toBe(200);
    travelTo(Date.now() + 2 * HOUR);
    const run = await runCycle(admin, cycle.cycleId);
    expect(run.result.counts.matched).toBe(1);
    const stored = (await storedCycleInput(cycle.cycleId))!;
    expect(stored.instance.regions).toEqual([{ id: 'sanin', openings: [tottori, shimane].sort(), cap: 1 }]);
    const views = await Promise.all(tokens.map(async (token) => (await call('GET', `/v1/match-cycles/${cycle.cycleId}`, { token })).json));
    const unmatched = views.find((v) => v.you.outcome.matched === null)!;
    expect(unmatched.you.outcome.openings.map((o: { reason: string }) => o.reason)).toContain('regional-cap');
  });
});

describe('rotating the handle key', () => {
  it('leaves a stored organisation list meaning the same people', async () => {
    const openingId = await openOpening(employerA, { title: '鍵の交換' });
    const token = await learner('cy-rotate', strongCourse);
    await runAggregation();
    const cycleId = (await openCycle(center31, { openings: [openingId], window: windowFromNow(1) })).cycleId;
    expect((await putList(token, cycleId, [openingId])).status).toBe(200);
    const before = await interestedHandles(employerA, cycleId, openingId);
    const handle = before.interested[0]!.candidate;
    expect(
      (await call('PUT', `/v1/match-cycles/${cycleId}/openings/${openingId}/rank-list`, { token: employerA, body: { candidates: [handle] } })).status,
    ).toBe(200);

    const keyring = JSON.parse(process.env.KANRYU_SERVICE_KEYS!) as Record<string, string>;
    process.env.KANRYU_SERVICE_KEYS = JSON.stringify({ ...keyring, current: 'rotated', rotated: 'r'.repeat(48) });
    forgetServiceKeys();
    try {
      const after = await interestedHandles(employerA, cycleId, openingId);
      const rotated = after.interested[0]!.candidate;
      expect(rotated).not.toBe(handle);
      // The stored list is the same person, shown under the new handle.
      expect(after.list).toEqual([rotated]);
      travelTo(Date.now() + 2 * HOUR);
      expect((await runCycle(center31, cycleId)).status).toBe('matched');
      const org = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: employerA })).json;
      expect(org.openingOutcomes[0].filled).toEqual([rotated]);
    } finally {
      process.env.KANRYU_SERVICE_KEYS = JSON.stringify(keyring);
      forgetServiceKeys();
    }
  });
});

describe('erasure', () => {
  it("deletes the learner's lists, participation and outcomes, and keeps the cycle's counts", async () => {
    const openingId = await openOpening(employerA, { title: '消去の席', headcount: 2 });
    const listing = await learner('cy-erase-listed', strongCourse);
    const silent = await learner('cy-erase-silent', weakCourse);
    await runAggregation();
    const cycleId = (await openCycle(center31, { openings: [openingId], window: windowFromNow(1) })).cycleId;
    expect((await putList(listing, cycleId, [openingId])).status).toBe(200);
    travelTo(Date.now() + 2 * HOUR);
    const run = await runCycle(center31, cycleId);
    expect(run.status).toBe('matched');
    const data = await import('../../shared/data/match-cycles');
    expect((await data.getCandidateOutcome(cycleId, 'cy-erase-silent'))?.source).toBe('fit-order');
    const rankers = async () => (await data.getOpeningOutcomes(cycleId, [openingId]))[0]!.rankedBy.map((r) => r.learnerId);
    expect(await rankers()).toEqual(expect.arrayContaining(['cy-erase-listed', 'cy-erase-silent']));
    expect(await data.getParticipation('cy-erase-listed')).toBeDefined();

    for (const token of [listing, silent]) expect((await call('DELETE', '/v1/learners/me', { token })).status).toBe(200);

    expect((await call('GET', '/v1/learners/me/export', { token: listing })).json.rankLists).toEqual([]);
    for (const id of ['cy-erase-listed', 'cy-erase-silent']) {
      expect(await data.candidateListsOfLearner(id)).toEqual([]);
      expect(await data.getParticipation(id)).toBeUndefined();
      expect(await data.getCandidateOutcome(cycleId, id)).toBeUndefined();
    }
    expect(await data.interestedIn(cycleId, openingId)).not.toContain('cy-erase-listed');
    // The opening's side no longer says where they put it; the anonymous counts stay.
    expect(await rankers()).not.toEqual(expect.arrayContaining(['cy-erase-listed']));
    expect(await rankers()).not.toEqual(expect.arrayContaining(['cy-erase-silent']));
    const center = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: center31 })).json;
    expect(center.result.counts).toEqual(run.result.counts);
  });
});

describe('listing cycles', () => {
  it('shows each caller the cycles it can take part in or runs, newest first, a page at a time', async () => {
    const in31 = await openOpening(employerA, { title: '一覧・鳥取' });
    const in32 = await openOpening(employerB, { title: '一覧・島根', workplace: '322016' });
    const center32 = await centerToken('32');
    const p31 = (await openCycle(center31, { openings: [in31], window: windowFromNow(1) })).cycleId;
    const p32 = (await openCycle(center32, { openings: [in32], window: windowFromNow(1) })).cycleId;
    const national = (await openCycle(admin, { openings: [in31, in32], window: windowFromNow(1) })).cycleId;
    const ids = async (token: string, query = '') => {
      const res = await call('GET', `/v1/match-cycles${query}`, { token });
      expect(res.status, res.text).toBe(200);
      return res.json.cycles.map((c: { cycleId: string }) => c.cycleId) as string[];
    };

    // A learner who would work only in 31: its cycles and the national ones, newest first.
    const learnerToken = await createLearner('cy-lister', { workPrefectures: ['31'] });
    const seen = await ids(learnerToken);
    expect(seen).toEqual(expect.arrayContaining([national, p31]));
    expect(seen).not.toContain(p32);
    expect(seen.indexOf(national)).toBeLessThan(seen.indexOf(p31));
    // A page at a time, merged from its prefectures' and the national partitions: the same cycles, each once, in the same order.
    const paged: string[] = [];
    let next: string | undefined;
    do {
      const page = await call('GET', `/v1/match-cycles?limit=1${next ? `&cursor=${encodeURIComponent(next)}` : ''}`, { token: learnerToken });
      expect(page.status, page.text).toBe(200);
      paged.push(...page.json.cycles.map((c: { cycleId: string }) => c.cycleId));
      next = page.json.cursor;
    } while (next);
    expect(paged).toEqual(seen);
    // Employer B: the cycles with its openings (its prefecture's, and the national one).
    const orgSeen = await ids(employerB);
    expect(orgSeen).toEqual(expect.arrayContaining([national, p32]));
    expect(orgSeen).not.toContain(p31);
    // A center: its prefecture's and the national ones; another prefecture's are not its to list.
    const centerSeen = await ids(center32, '?state=ranking');
    expect(centerSeen).toEqual(expect.arrayContaining([national, p32]));
    expect(centerSeen).not.toContain(p31);
    expect((await call('GET', '/v1/match-cycles?prefecture=31', { token: center32 })).status).toBe(403);
    // Admin: one prefecture's own cycles, or every cycle a page at a time, each once, newest first.
    const of32 = await ids(admin, '?prefecture=32&state=ranking');
    expect(of32).toContain(p32);
    expect(of32).not.toContain(p31);
    expect(of32).not.toContain(national);
    const walked: { cycleId: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/match-cycles?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
      expect(page.status, page.text).toBe(200);
      walked.push(...page.json.cycles);
      cursor = page.json.cursor;
    } while (cursor);
    const walkedIds = walked.map((c) => c.cycleId);
    expect(new Set(walkedIds).size).toBe(walkedIds.length);
    expect(walkedIds).toEqual(expect.arrayContaining([national, p31, p32]));
    expect(walked.map((c) => c.createdAt)).toEqual([...walked.map((c) => c.createdAt)].sort().reverse());
    // Once a cycle's window has closed it stays in the list: an unmatched candidate finds its explanation there.
    const closing31 = (await openCycle(center31, { openings: [in31], window: windowFromNow(1) })).cycleId;
    travelTo(Date.now() + 2 * HOUR);
    try {
      expect(await ids(learnerToken, '?state=closed')).toContain(closing31);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('nobody is seated by two cycles', () => {
  it('gives a person without a list one seat when two overlapping cycles both run, and none in a cycle run after', async () => {
    // Seats for everyone their fit rankings hold: what decides is only who may be seated.
    const in31 = await openOpening(employerA, { title: '重なる窓・鳥取', headcount: 30 });
    const in32 = await openOpening(employerB, { title: '重なる窓・島根', workplace: '322016', headcount: 30 });
    await learner('cy-both', strongCourse);
    await runAggregation();
    const a = (await openCycle(center31, { openings: [in31], window: windowFromNow(1) })).cycleId;
    const b = (await openCycle(await centerToken('32'), { openings: [in32], window: windowFromNow(2) })).cycleId;
    travelTo(Date.now() + 3 * HOUR);
    const [ranA, ranB] = await Promise.all([runCycle(center31, a), runCycle(await centerToken('32'), b)]);
    expect([ranA.status, ranB.status]).toEqual(['matched', 'matched']);
    const seatedIn = async (cycleId: string) => (await storedCycleInput(cycleId))!.assignments.map((s) => s.candidate);
    const [inA, inB] = await Promise.all([seatedIn(a), seatedIn(b)]);
    expect(inA.filter((id) => inB.includes(id))).toEqual([]);
    expect([...inA, ...inB].filter((id) => id === 'cy-both')).toHaveLength(1);
    // A cycle run after both: whoever holds a live proposal from them is not in it.
    const later = await openOpening(employerA, { title: '後の窓・鳥取', headcount: 30 });
    await runAggregation();
    const c = (await openCycle(center31, { openings: [later], window: windowFromNow(1) })).cycleId;
    travelTo(Date.now() + 2 * HOUR);
    expect((await runCycle(center31, c)).status).toBe('matched');
    const inC = (await storedCycleInput(c))!.instance.candidates.map((x) => x.id);
    expect(inC).not.toContain('cy-both');
    expect(inC.filter((id) => inA.includes(id) || inB.includes(id))).toEqual([]);
  });
});

describe('an interrupted run', () => {
  const delivery = (cycleId: string): SQSEvent => ({
    Records: [
      {
        messageId: `m-${cycleId}-${Math.random()}`,
        receiptHandle: 'r',
        body: JSON.stringify({ cycleId }),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:ap-northeast-1:000000000000:match-runs',
        awsRegion: 'ap-northeast-1',
      },
    ],
  });

  it('shows nobody a proposal before the cycle is matched, discards only unpublished ones on a retry, and publishes on redelivery', async () => {
    const opening = await openOpening(employerA, { title: '中断・鳥取' });
    const token = await learner('cy-interrupted', strongCourse);
    await runAggregation();
    const cycleId = (await openCycle(center31, { openings: [opening], window: windowFromNow(1) })).cycleId;
    expect((await putList(token, cycleId, [opening])).status).toBe(200);
    travelTo(Date.now() + 2 * HOUR);
    // The run as the route starts it, without its message: the test delivers its own.
    expect(await startCycleRun(cycleId, new Date().toISOString(), new Date(0).toISOString(), { sub: 'center-31', role: 'center' })).toBe(true);
    const cycle = (await getCycle(cycleId))!;
    const built = await buildCycleInstance(cycle, new Date());
    const solved = await solveCycle(cycle, built);
    const [proposal] = await proposalsOf(cycle, built, solved.assignments, new Date().toISOString());
    expect(proposal).toMatchObject({ learnerId: 'cy-interrupted', status: 'unpublished' });
    // An earlier attempt stored a proposal this one will not make: a retry discards it.
    const stray: Proposal = { ...proposal!, proposalId: 'prp_100000000000000000000000', learnerId: 'cy-gone' };
    await putProposals([stray]);
    const lease = (await leaseCycleRun(cycleId, new Date(), 60_000))!;
    await discardProposalsOfRun(cycleId);
    expect(await getProposal(stray.proposalId)).toBeUndefined();
    // Never a published one (a candidate may have accepted it), whatever run it is of.
    const otherRun = 'cyc_00000000000000000001';
    const accepted: Proposal = { ...proposal!, runId: otherRun, proposalId: 'prp_200000000000000000000000', learnerId: 'cy-kept', status: 'accepted' };
    await putProposals([{ ...stray, runId: otherRun }, accepted]);
    expect(await discardProposalsOfRun(otherRun)).toBe(1);
    expect((await getProposal(accepted.proposalId))?.status).toBe('accepted');
    // An attempt interrupted after the cycle was marked matched, before publishing: nobody sees it yet.
    await putProposals([proposal!]);
    await putOutcomes(cycleId, solved.candidates, solved.openings);
    expect(await finishCycle(cycle, lease, solved.result, new Date())).toBe(true);
    expect((await call('GET', '/v1/proposals', { token })).json.proposals.map((p: { openingId: string }) => p.openingId)).not.toContain(opening);
    expect((await call('GET', `/v1/match-cycles/${cycleId}`, { token })).json).toMatchObject({ status: 'running' });
    // Asking for the run again has the job publish what the interrupted attempt stored (nothing is solved again); a redelivery changes nothing.
    expect((await runCycle(center31, cycleId)).status).toBe('matched');
    expect((await matchRunWorker(delivery(cycleId))).batchItemFailures).toEqual([]);
    const read = await call('GET', `/v1/match-cycles/${cycleId}`, { token });
    expect(read.json).toMatchObject({ status: 'matched', you: { outcome: { matched: { openingId: opening, proposalId: proposal!.proposalId } } } });
    const shown = (await call('GET', '/v1/proposals', { token })).json.proposals.filter((p: { openingId: string }) => p.openingId === opening);
    expect(shown).toEqual([expect.objectContaining({ proposalId: proposal!.proposalId, status: 'proposed' })]);
  });
});

describe("a national cycle on the state machine's steps", () => {
  it('runs phase by phase on the national round’s step functions, as one delivery would have', async () => {
    const tottori = await openOpening(employerA, { title: '段階・鳥取' });
    const shimane = await openOpening(employerB, { title: '段階・島根', workplace: '322016' });
    const token = await learner('cy-steps', strongCourse);
    await runAggregation();
    const { cycleId } = await openCycle(admin, { openings: [tottori, shimane], window: windowFromNow(1) });
    expect((await putList(token, cycleId, [shimane, tottori])).status).toBe(200);
    travelTo(Date.now() + 2 * HOUR);
    // Marked running as the run request does, without queueing it: the steps below are the execution.
    const data = await import('../../shared/data/match-cycles');
    expect(await data.startCycleRun(cycleId, new Date().toISOString(), new Date(0).toISOString(), { sub: 'admin-1', role: 'admin' })).toBe(true);
    const { handler: whole } = await import('../../functions/jobs/national-round-summary');
    const { handler: each } = await import('../../functions/jobs/national-round-prefecture');
    // Each payload crosses Step Functions as JSON.
    const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null));
    const plan = viaJson(await whole({ phase: 'plan', cycleId })) as import('../../shared/workflows/match-cycle').CyclePlan;
    expect(plan.prefectures).toEqual(['31', '32']);
    for (const prefecture of plan.prefectures) await each({ phase: 'build', plan, prefecture });
    const result = viaJson(await whole({ phase: 'solve', plan })) as import('../../shared/domain/match-cycle-run').CycleResult;
    for (const prefecture of plan.prefectures) await each({ phase: 'publish', plan, prefecture });
    await whole({ phase: 'finish', plan, result });

    const read = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: admin })).json;
    expect(read).toMatchObject({ status: 'matched', result: { stable: true, inputDigest: result.inputDigest } });
    const stored = (await storedCycleInput(cycleId))!;
    const built = await buildCycleInstance(stored.cycle, new Date());
    const inOneGo = withRegions(built.instance, built.regions);
    expect(inputDigest(inOneGo)).toBe(result.inputDigest);
    expect(solve(inOneGo).assignments).toEqual(stored.assignments);
    const { allProposalsOfRun } = await import('../../shared/data/matching');
    expect((await allProposalsOfRun(cycleId)).map((p) => p.learnerId).sort()).toEqual(stored.assignments.map((a) => a.candidate).sort());
    // The rankings built for the run held people's fits: gone once it finished.
    expect(await data.fitRankingsOf(cycleId)).toEqual(new Map());
  });
});

describe('a run that gave up', () => {
  it('tells only those who run the cycle, in a fixed text naming nobody', async () => {
    const opening = await openOpening(employerA, { title: '失敗・鳥取' });
    const token = await learner('cy-failed', strongCourse);
    const cycleId = (await openCycle(center31, { openings: [opening], window: windowFromNow(1) })).cycleId;
    expect((await putList(token, cycleId, [opening])).status).toBe(200);
    travelTo(Date.now() + 2 * HOUR);
    expect(await startCycleRun(cycleId, new Date().toISOString(), new Date(0).toISOString(), { sub: 'center-31', role: 'center' })).toBe(true);
    await giveUpCycleStep(cycleId);
    const runner = (await call('GET', `/v1/match-cycles/${cycleId}`, { token: center31 })).json;
    expect(runner).toMatchObject({ status: 'closed', lastFailure: CYCLE_RUN_FAILED });
    expect(runner.lastFailure).not.toContain('cy-failed');
    for (const reader of [token, employerA, await centerToken('32'), admin]) {
      const read = await call('GET', `/v1/match-cycles/${cycleId}`, { token: reader });
      if (read.status === 200 && reader !== admin) expect(read.json).not.toHaveProperty('lastFailure');
    }
    expect((await call('GET', `/v1/match-cycles/${cycleId}`, { token: admin })).json.lastFailure).toBe(CYCLE_RUN_FAILED);
  });
});

describe('the end of the window', () => {
  it('runs no sooner than a minute after the window closed, so lists written in its last instant are in', async () => {
    const opening = await openOpening(employerA, { title: '窓の終わり・鳥取' });
    const cycle = await openCycle(center31, { openings: [opening], window: windowFromNow(1) });
    const closedAt = Date.parse(cycle.window.to);
    travelTo(closedAt + RUN_GRACE_MS / 2);
    const early = await call('POST', `/v1/match-cycles/${cycle.cycleId}/run`, { token: center31 });
    expect(early.status, early.text).toBe(409);
    expect(early.json.detail).toContain(`can run from ${new Date(closedAt + RUN_GRACE_MS).toISOString()}`);
    travelTo(closedAt + RUN_GRACE_MS + 1000);
    expect((await runCycle(center31, cycle.cycleId)).status).toBe('matched');
  });
});

describe('leaving a cycle', () => {
  it('refuses an endless window, and lets a candidate withdraw their list and take part in another cycle', async () => {
    const a = await openOpening(employerA, { title: '離脱・鳥取' });
    const b = await openOpening(employerB, { title: '離脱・島根', workplace: '322016' });
    const tooLong = await call('POST', '/v1/match-cycles', {
      token: center31,
      body: { openings: [a], window: { from: '0001-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z' } },
    });
    expect(tooLong.status, tooLong.text).toBe(422);
    expect(tooLong.text).toContain('at most 90 days');
    expect(tooLong.text).toContain('in the past');
    const token = await learner('cy-leaver', strongCourse);
    const first = (await openCycle(center31, { openings: [a], window: windowFromNow(1) })).cycleId;
    const second = (await openCycle(await centerToken('32'), { openings: [b], window: windowFromNow(1) })).cycleId;
    expect((await putList(token, first, [a])).status).toBe(200);
    expect((await putList(token, second, [b])).status).toBe(409);
    const withdrawn = await putList(token, first, []);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json).toMatchObject({ openings: [], listUsed: 'fit order: no list submitted' });
    expect((await call('GET', `/v1/match-cycles/${first}`, { token })).json.you.list).toBeNull();
    expect((await putList(token, second, [b])).status).toBe(200);
    // Once the window has closed, a list stays as it is.
    travelTo(Date.now() + 2 * HOUR);
    expect((await putList(token, second, [])).status).toBe(409);
  });
});

describe('reading a cycle one takes no part in', () => {
  it('shows its public fields and nothing about anyone', async () => {
    const opening = await openOpening(employerA, { title: '公開・鳥取' });
    const insider = await learner('cy-insider', strongCourse);
    const cycleId = (await openCycle(center31, { openings: [opening], window: windowFromNow(1) })).cycleId;
    expect((await putList(insider, cycleId, [opening])).status).toBe(200);
    const outsider = await createLearner('cy-outsider', { workPrefectures: ['47'] });
    const read = await call('GET', `/v1/match-cycles/${cycleId}`, { token: outsider });
    expect(read.status, read.text).toBe(200);
    expect(Object.keys(read.json).sort()).toEqual(['createdAt', 'cycleId', 'openings', 'prefecture', 'scope', 'status', 'window', 'you']);
    expect(read.json.you).toEqual({ list: null, listUsed: 'fit order: no list submitted' });
    const openings = await call('GET', `/v1/match-cycles/${cycleId}/openings`, { token: outsider });
    expect(openings.json.openings).toEqual([]);
    const other = await call('GET', `/v1/match-cycles/${cycleId}`, { token: employerB });
    expect(other.json).not.toHaveProperty('openingOutcomes.0');
    expect(JSON.stringify(other.json)).not.toMatch(/cy-insider|cand_/);
  });
});
