import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { serviceBusy } from '../errors';
import { db, table } from './client';
import { badCursor } from './cursor';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf, tableKeyOf, type Partition } from './entity';
import type { Fit } from '../matching/score';
import { learnerPartition } from './learners';
import { batchGet, queryAll } from './query';
import { batchDelete, batchPut } from './records';

/**
 * Matching cycles (shared/domain/match-cycles.ts): a cycle's own item; its openings, one
 * item each; each side's rank list; who is in which cycle; and, once run, the inputs the
 * solver was given and what became of each side, one item per candidate and per opening,
 * so the result can be solved again from what is stored.
 */
export type CycleStatus = 'open' | 'running' | 'matched';

export interface CycleRegion {
  id: string;
  prefectures: string[];
  cap: number;
}

export interface MatchCycle {
  cycleId: string;
  scope: 'prefecture' | 'national';
  /** Set for a prefectural cycle. */
  prefecture?: string;
  window: { from: string; to: string };
  /** National only: caps on the seats filled in groups of prefectures. */
  regions?: CycleRegion[];
  openings: number;
  createdBy: { sub: string; role: string };
  createdAt: string;
  status: CycleStatus;
  runStartedAt?: string;
  /** Who asked for the run (its outcome is audited as theirs). */
  runRequestedBy?: { sub: string; role: string };
  /** Why the last run gave up (the cycle is open to run again): a fixed text, never an error's (it could name people). */
  lastFailure?: string;
  /** When its proposals reached their candidates (after the result was stored; until then the run is not over). */
  publishedAt?: string;
  result?: {
    runAt: string;
    counts: { openings: number; seats: number; candidates: number; matched: number; unmatched: number };
    stable: boolean;
    /** sha256 of the solver's input as stored: the same lists give the same digest. */
    inputDigest: string;
  };
}

/** An opening taking part, with what a candidate's view filters on before reading the opening. */
export interface CycleOpening {
  openingId: string;
  prefecture: string;
  workStyle: string;
  ownerOrg: string;
}

/** A candidate's rank list: opening ids, most wanted first. */
export interface CandidateRankList {
  cycleId: string;
  learnerId: string;
  openings: string[];
  submittedAt: string;
}

/** An organisation's rank list for one opening: learner ids (submitted as handles), most wanted first. */
export interface OpeningRankList {
  cycleId: string;
  openingId: string;
  candidates: string[];
  submittedAt: string;
  submittedBy: string;
}

/** The one cycle a person takes part in until it has run. */
export interface CycleParticipation {
  learnerId: string;
  cycleId: string;
  since: string;
}

export type ListSource = 'own-list' | 'fit-order';
export type CandidateReason = 'matched' | 'matched-higher-choice' | 'filled-by-higher-ranked' | 'regional-cap' | 'not-on-opening-list';

/** What the solver was given for a candidate, and what became of them. */
export interface CandidateOutcome {
  learnerId: string;
  prefs: string[];
  source: ListSource;
  matched?: string;
  proposalId?: string;
  reasons: { openingId: string; reason: CandidateReason }[];
}

/** What the solver was given for an opening, and whom it got. */
export interface OpeningOutcome {
  openingId: string;
  prefecture: string;
  capacity: number;
  prefs: string[];
  source: ListSource;
  assigned: string[];
  /** Everyone who listed the opening: where they put it and what became of them (ids stay internal). */
  rankedBy: { learnerId: string; position: number; outcome: RankerOutcome }[];
}

/** What became of someone who listed an opening, as the opening's side is told. */
export type RankerOutcome = 'matched-here' | 'matched-higher-choice' | 'filled-by-higher-ranked' | 'not-on-opening-list' | 'regional-cap';

/** Newest first in an ascending index: the time left until the year 2286, then the id. */
const newestFirst = (c: Pick<MatchCycle, 'cycleId' | 'createdAt'>) => `${String(1e13 - Date.parse(c.createdAt)).padStart(13, '0')}#${c.cycleId}`;
const LISTING_SORT_KEY = /^\d{13}#cyc_[a-f0-9]{20}$/;
const NATIONAL = 'NATIONAL';

const cycle = {
  entity: 'match-cycle',
  key: (cycleId: string) => ({ pk: `MATCHCYCLE#${cycleId}`, sk: 'CYCLE' }),
  /** gsi1: a prefecture's cycles, or the national ones; gsi2: every cycle (admin). Newest first. */
  byScope: (c: MatchCycle) => keyOn(index('gsi1'), `MATCHCYCLES#${c.prefecture ?? NATIONAL}`, newestFirst(c)),
  ofScope: (prefecture: string | undefined) => partition(index('gsi1'), `MATCHCYCLES#${prefecture ?? NATIONAL}`),
  byAll: (c: MatchCycle) => keyOn(index('gsi2'), 'MATCHCYCLES', newestFirst(c)),
  ofAll: () => partition(index('gsi2'), 'MATCHCYCLES'),
  /** A pointer per organisation with openings in the cycle (its listing), newest first. */
  ofOrganisation: {
    entity: 'match-cycle-of-organisation',
    key: (org: string, c: MatchCycle) => ({ pk: `MATCHCYCLES#ORG#${org}`, sk: newestFirst(c) }),
    of: (org: string) => partition(primary, `MATCHCYCLES#ORG#${org}`),
  },
  opening: {
    entity: 'match-cycle-opening',
    key: (cycleId: string, openingId: string) => ({ pk: `MATCHCYCLE#${cycleId}#OPENINGS`, sk: openingId }),
    of: (cycleId: string) => partition(primary, `MATCHCYCLE#${cycleId}#OPENINGS`),
  },
  /** In the learner's partition (their export reads it); on gsi1, the cycle's lists. */
  candidateList: {
    entity: 'candidate-rank-list',
    key: (learnerId: string, cycleId: string) => ({ pk: learnerPartition(learnerId), sk: `RANKLIST#${cycleId}` }),
    ofLearner: (learnerId: string) => partition(primary, learnerPartition(learnerId), 'RANKLIST#'),
    byCycle: (list: CandidateRankList) => keyOn(index('gsi1'), `MATCHCYCLE#${list.cycleId}#CANDIDATELISTS`, list.learnerId),
    ofCycle: (cycleId: string) => partition(index('gsi1'), `MATCHCYCLE#${cycleId}#CANDIDATELISTS`),
  },
  openingList: {
    entity: 'opening-rank-list',
    key: (cycleId: string, openingId: string) => ({ pk: `MATCHCYCLE#${cycleId}#OPENINGLISTS`, sk: openingId }),
    of: (cycleId: string) => partition(primary, `MATCHCYCLE#${cycleId}#OPENINGLISTS`),
  },
  /** Pointers: who listed an opening (a pointer alone means nothing: readers check the list itself). */
  interest: {
    entity: 'match-cycle-interest',
    key: (cycleId: string, openingId: string, learnerId: string) => ({ pk: `MATCHCYCLE#${cycleId}#INTEREST#${openingId}`, sk: learnerId }),
    of: (cycleId: string, openingId: string) => partition(primary, `MATCHCYCLE#${cycleId}#INTEREST#${openingId}`),
  },
  participation: {
    entity: 'match-cycle-participation',
    key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'MATCHCYCLE' }),
  },
  candidateOutcome: {
    entity: 'match-cycle-candidate-outcome',
    key: (cycleId: string, learnerId: string) => ({ pk: `MATCHCYCLE#${cycleId}#OUTCOME`, sk: `C#${learnerId}` }),
    of: (cycleId: string) => partition(primary, `MATCHCYCLE#${cycleId}#OUTCOME`, 'C#'),
    /** gsi1: a learner's outcomes in every cycle (what their erasure deletes: they need not have listed to have one). */
    byLearner: (cycleId: string, learnerId: string) => keyOn(index('gsi1'), `${learnerPartition(learnerId)}#CYCLEOUTCOMES`, cycleId),
    ofLearner: (learnerId: string) => partition(index('gsi1'), `${learnerPartition(learnerId)}#CYCLEOUTCOMES`),
  },
  /** A national run's fit rankings, built a prefecture at a time (shared/workflows/match-cycle.ts), in chunks of an opening's. */
  fitRanking: {
    entity: 'match-cycle-fit-ranking',
    key: (cycleId: string, openingId: string, chunk: number) => ({
      pk: `MATCHCYCLE#${cycleId}#RANKINGS`,
      sk: `${openingId}#${String(chunk).padStart(3, '0')}`,
    }),
    of: (cycleId: string) => partition(primary, `MATCHCYCLE#${cycleId}#RANKINGS`),
  },
  openingOutcome: {
    entity: 'match-cycle-opening-outcome',
    key: (cycleId: string, openingId: string) => ({ pk: `MATCHCYCLE#${cycleId}#OUTCOME`, sk: `O#${openingId}` }),
    of: (cycleId: string) => partition(primary, `MATCHCYCLE#${cycleId}#OUTCOME`, 'O#'),
  },
};

/** The cycle's openings first, then the cycle: a cycle item is only ever visible with all of them. */
export async function putNewCycle(c: MatchCycle, openings: readonly CycleOpening[]): Promise<void> {
  await batchPut([
    ...openings.map((o) => itemOf(cycle.opening.entity, [cycle.opening.key(c.cycleId, o.openingId)], o)),
    // A pointer alone lists nothing: the listing reads the cycle it names.
    ...[...new Set(openings.map((o) => o.ownerOrg))].map((org) =>
      itemOf(cycle.ofOrganisation.entity, [cycle.ofOrganisation.key(org, c)], { cycleId: c.cycleId }),
    ),
  ]);
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(cycle.entity, [cycle.key(c.cycleId), cycle.byScope(c), cycle.byAll(c)], c),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw serviceBusy(`Cycle id ${c.cycleId} collided with an existing cycle; retry the same request.`);
  }
}

export async function getCycle(cycleId: string): Promise<MatchCycle | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.key(cycleId), ConsistentRead: true }));
  return Item ? recordOf<MatchCycle>(cycle.entity, Item, ['leaseToken', 'leaseUntil']) : undefined;
}

export async function cycleOpenings(cycleId: string): Promise<CycleOpening[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.opening.of(cycleId), consistent: true });
  return items.map((item) => recordOf<CycleOpening>(cycle.opening.entity, item));
}

export async function getCycleOpening(cycleId: string, openingId: string): Promise<CycleOpening | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.opening.key(cycleId, openingId), ConsistentRead: true }));
  return Item ? recordOf<CycleOpening>(cycle.opening.entity, Item) : undefined;
}

/**
 * Takes the cycle for one run: from open, or from a run that started before `staleBefore`
 * and never finished (its process died). False when another run holds it or it has run.
 */
export async function startCycleRun(cycleId: string, at: string, staleBefore: string, by: MatchCycle['createdBy']): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: cycle.key(cycleId),
        UpdateExpression: 'SET #status = :running, runStartedAt = :at, runRequestedBy = :by REMOVE leaseToken, leaseUntil',
        ConditionExpression: '#status = :open OR (#status = :running AND runStartedAt < :stale)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'running', ':open': 'open', ':at': at, ':stale': staleBefore, ':by': by },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Takes a running cycle for one delivery of its message, for `forMs`: the token proves it
 * when finishing. Undefined while another delivery holds an unexpired lease.
 */
export async function leaseCycleRun(cycleId: string, now: Date, forMs: number): Promise<string | undefined> {
  const token = randomBytes(8).toString('hex');
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: cycle.key(cycleId),
        UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until',
        ConditionExpression: '#status = :running AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':token': token, ':until': now.getTime() + forMs, ':now': now.getTime(), ':running': 'running' },
      }),
    );
    return token;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Records the result, if this lease still holds the running cycle. */
export async function finishCycleRun(cycleId: string, lease: string, result: NonNullable<MatchCycle['result']>): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: cycle.key(cycleId),
        UpdateExpression: 'SET #status = :matched, #result = :result REMOVE leaseToken, leaseUntil, lastFailure',
        ConditionExpression: '#status = :running AND leaseToken = :lease',
        ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
        ExpressionAttributeValues: { ':matched': 'matched', ':running': 'running', ':lease': lease, ':result': result },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Marks a matched cycle's proposals published (every one of them is by now). */
export async function markCyclePublished(cycleId: string, at: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: cycle.key(cycleId),
        UpdateExpression: 'SET publishedAt = :at',
        ConditionExpression: '#status = :matched AND attribute_not_exists(publishedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':matched': 'matched', ':at': at },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Gives a running cycle back (open, its window closed: it may be run again), with why. */
export async function failCycleRun(cycleId: string, failure: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: cycle.key(cycleId),
        UpdateExpression: 'SET #status = :open, lastFailure = :failure REMOVE runStartedAt, leaseToken, leaseUntil',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':running': 'running', ':failure': failure },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function getParticipation(learnerId: string): Promise<CycleParticipation | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.participation.key(learnerId), ConsistentRead: true }));
  return Item ? recordOf<CycleParticipation>(cycle.participation.entity, Item) : undefined;
}

export async function participationsOf(learnerIds: readonly string[]): Promise<Map<string, CycleParticipation>> {
  const items = await batchGet<Record<string, unknown>>(learnerIds.map((id) => cycle.participation.key(id)));
  return new Map(items.map((item) => recordOf<CycleParticipation>(cycle.participation.entity, item)).map((p) => [p.learnerId, p]));
}

/**
 * Makes the person a participant of this cycle: when they are in none, already in it, or
 * `replacing` names the cycle they were in (which the caller found has run). One
 * conditional write, so two cycles' submissions at the same moment cannot both win.
 */
export async function claimParticipation(p: CycleParticipation, replacing?: string): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(cycle.participation.entity, [cycle.participation.key(p.learnerId)], p),
        ConditionExpression: `attribute_not_exists(pk) OR cycleId = :mine${replacing ? ' OR cycleId = :replacing' : ''}`,
        ExpressionAttributeValues: { ':mine': p.cycleId, ...(replacing ? { ':replacing': replacing } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Ends the person's participation, if it is in this cycle (one conditional delete: a newer claim by another cycle stays). */
export async function releaseParticipation(learnerId: string, cycleId: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table(),
        Key: cycle.participation.key(learnerId),
        ConditionExpression: 'cycleId = :cycle',
        ExpressionAttributeValues: { ':cycle': cycleId },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function getCandidateList(cycleId: string, learnerId: string): Promise<CandidateRankList | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.candidateList.key(learnerId, cycleId), ConsistentRead: true }));
  return Item ? recordOf<CandidateRankList>(cycle.candidateList.entity, Item) : undefined;
}

export async function getCandidateLists(cycleId: string, learnerIds: readonly string[]): Promise<CandidateRankList[]> {
  const items = await batchGet<Record<string, unknown>>(learnerIds.map((id) => cycle.candidateList.key(id, cycleId)));
  return items.map((item) => recordOf<CandidateRankList>(cycle.candidateList.entity, item));
}

/**
 * Replaces the candidate's list, then points each opening on it at them and drops the
 * pointers of openings no longer on it (readers check the list, so a pointer left behind
 * by an interrupted replacement shows nobody).
 */
export async function putCandidateList(list: CandidateRankList, previous: readonly string[]): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: itemOf(cycle.candidateList.entity, [cycle.candidateList.key(list.learnerId, list.cycleId), cycle.candidateList.byCycle(list)], list),
    }),
  );
  await batchPut(
    list.openings.map((openingId) =>
      itemOf(cycle.interest.entity, [cycle.interest.key(list.cycleId, openingId, list.learnerId)], { learnerId: list.learnerId }),
    ),
  );
  const dropped = previous.filter((openingId) => !list.openings.includes(openingId));
  await batchDelete(dropped.map((openingId) => cycle.interest.key(list.cycleId, openingId, list.learnerId)));
}

/** Withdraws the candidate's list: the list first (a pointer alone shows nobody), then its pointers. */
export async function deleteCandidateList(list: CandidateRankList): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: cycle.candidateList.key(list.learnerId, list.cycleId) }));
  await batchDelete(list.openings.map((openingId) => cycle.interest.key(list.cycleId, openingId, list.learnerId)));
}

/** Every candidate list of a cycle (read at least RUN_GRACE_MS after its window closed: the index, under a second behind, has caught up). */
export async function candidateListsOfCycle(cycleId: string): Promise<CandidateRankList[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.candidateList.ofCycle(cycleId) });
  return items.map((item) => recordOf<CandidateRankList>(cycle.candidateList.entity, item));
}

/** Every rank list the learner submitted, in any cycle (their export). */
export async function candidateListsOfLearner(learnerId: string): Promise<CandidateRankList[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.candidateList.ofLearner(learnerId), consistent: true });
  return items.map((item) => recordOf<CandidateRankList>(cycle.candidateList.entity, item));
}

/** The learners pointed at as having listed the opening (to be checked against their lists). */
export async function interestedIn(cycleId: string, openingId: string): Promise<string[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.interest.of(cycleId, openingId), consistent: true });
  return items.map((item) => item.learnerId as string);
}

export async function putOpeningList(list: OpeningRankList): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: itemOf(cycle.openingList.entity, [cycle.openingList.key(list.cycleId, list.openingId)], list) }));
}

export async function getOpeningList(cycleId: string, openingId: string): Promise<OpeningRankList | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.openingList.key(cycleId, openingId), ConsistentRead: true }));
  return Item ? recordOf<OpeningRankList>(cycle.openingList.entity, Item) : undefined;
}

export async function openingListsOfCycle(cycleId: string): Promise<OpeningRankList[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.openingList.of(cycleId), consistent: true });
  return items.map((item) => recordOf<OpeningRankList>(cycle.openingList.entity, item));
}

/** Written before the cycle is marked matched: a matched cycle always has all of them. */
export async function putOutcomes(cycleId: string, candidates: readonly CandidateOutcome[], openings: readonly OpeningOutcome[]): Promise<void> {
  await batchPut([
    ...candidates.map((c) =>
      itemOf(cycle.candidateOutcome.entity, [cycle.candidateOutcome.key(cycleId, c.learnerId), cycle.candidateOutcome.byLearner(cycleId, c.learnerId)], c),
    ),
    ...openings.map((o) => itemOf(cycle.openingOutcome.entity, [cycle.openingOutcome.key(cycleId, o.openingId)], o)),
  ]);
}

/** A learner's outcomes in every cycle, each with its cycle (their export). */
export async function candidateOutcomesOfLearner(learnerId: string): Promise<{ cycleId: string; outcome: CandidateOutcome }[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.candidateOutcome.ofLearner(learnerId) });
  // The outcome's index entry is keyed by its cycle (byLearner above).
  const cycleOf = index('gsi1').sortKey;
  return items.map((item) => ({ cycleId: item[cycleOf] as string, outcome: recordOf<CandidateOutcome>(cycle.candidateOutcome.entity, item) }));
}

export async function getCandidateOutcome(cycleId: string, learnerId: string): Promise<CandidateOutcome | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.candidateOutcome.key(cycleId, learnerId), ConsistentRead: true }));
  return Item ? recordOf<CandidateOutcome>(cycle.candidateOutcome.entity, Item) : undefined;
}

export async function getCandidateOutcomes(cycleId: string, learnerIds: readonly string[]): Promise<CandidateOutcome[]> {
  const items = await batchGet<Record<string, unknown>>(
    learnerIds.map((id) => cycle.candidateOutcome.key(cycleId, id)),
    { consistent: true },
  );
  return items.map((item) => recordOf<CandidateOutcome>(cycle.candidateOutcome.entity, item));
}

export async function getOpeningOutcomes(cycleId: string, openingIds: readonly string[]): Promise<OpeningOutcome[]> {
  const items = await batchGet<Record<string, unknown>>(
    openingIds.map((id) => cycle.openingOutcome.key(cycleId, id)),
    { consistent: true },
  );
  return items.map((item) => recordOf<OpeningOutcome>(cycle.openingOutcome.entity, item));
}

export async function candidateOutcomesOfCycle(cycleId: string): Promise<CandidateOutcome[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.candidateOutcome.of(cycleId), consistent: true });
  return items.map((item) => recordOf<CandidateOutcome>(cycle.candidateOutcome.entity, item));
}

export async function openingOutcomesOfCycle(cycleId: string): Promise<OpeningOutcome[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.openingOutcome.of(cycleId), consistent: true });
  return items.map((item) => recordOf<OpeningOutcome>(cycle.openingOutcome.entity, item));
}

/**
 * Erasure (shared/domain/personal-data.ts): the learner's rank lists and the pointers to
 * them, their participation, their outcome in every cycle, and their entries in the
 * openings' `rankedBy` (where they put each opening: their list again). What stays is
 * what the organisation's side holds by the account's random id (its list, whom it was
 * given), as proposals stay, and the cycles' anonymous counts.
 */
export async function eraseCycleRecordsOf(learnerId: string): Promise<void> {
  const [lists, outcomes] = await Promise.all([
    candidateListsOfLearner(learnerId),
    queryAll<Record<string, unknown>>({ partition: cycle.candidateOutcome.ofLearner(learnerId) }),
  ]);
  for (const list of lists) {
    await batchDelete(list.openings.map((openingId) => cycle.interest.key(list.cycleId, openingId, learnerId)));
    await db.send(new DeleteCommand({ TableName: table(), Key: cycle.candidateList.key(learnerId, list.cycleId) }));
  }
  for (const item of outcomes) {
    const outcome = recordOf<CandidateOutcome>(cycle.candidateOutcome.entity, item);
    const cycleId = item[index('gsi1').sortKey] as string;
    for (const openingId of outcome.prefs) await dropRanker(cycleId, openingId, learnerId);
    await db.send(new DeleteCommand({ TableName: table(), Key: tableKeyOf(item) }));
  }
  await db.send(new DeleteCommand({ TableName: table(), Key: cycle.participation.key(learnerId) }));
}

/** Removes the learner from an opening outcome's `rankedBy`; conditioned on what was read, so two erasures at once both hold. */
async function dropRanker(cycleId: string, openingId: string, learnerId: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { Item } = await db.send(new GetCommand({ TableName: table(), Key: cycle.openingOutcome.key(cycleId, openingId), ConsistentRead: true }));
    if (!Item) return;
    const rankedBy = (Item.rankedBy ?? []) as OpeningOutcome['rankedBy'];
    const kept = rankedBy.filter((r) => r.learnerId !== learnerId);
    if (kept.length === rankedBy.length) return;
    try {
      await db.send(
        new UpdateCommand({
          TableName: table(),
          Key: cycle.openingOutcome.key(cycleId, openingId),
          UpdateExpression: 'SET rankedBy = :kept',
          ConditionExpression: 'size(rankedBy) = :read',
          ExpressionAttributeValues: { ':kept': kept, ':read': rankedBy.length },
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw serviceBusy('Other erasures changed the same cycle outcome meanwhile; retry the erasure.');
}

/** Where a caller's listing of cycles reads: partitions of the index or of pointers, each newest first. */
export type CycleSource = { kind: 'scope'; prefecture: string | undefined } | { kind: 'all' } | { kind: 'organisation'; org: string };

const partitionOf = (source: CycleSource): Partition =>
  source.kind === 'scope' ? cycle.ofScope(source.prefecture) : source.kind === 'all' ? cycle.ofAll() : cycle.ofOrganisation.of(source.org);

/** A filtered walk stops after this many cycles read even when its page is not full (its cursor then points past them). */
const MAX_CYCLES_READ = 1000;

/**
 * A page of the cycles in any of `sources`, newest first, merged (a cycle in two of them
 * once): each source is queried past the cursor's sort key and the merge keeps only what
 * every source that has more has reached, so no cycle is skipped. `select` is the
 * caller's filter, applied inside the walk. The cursor is the last sort key returned.
 */
export async function cyclesPage(
  sources: readonly CycleSource[],
  request: { cursor: string | undefined; limit: number; select: (c: MatchCycle) => boolean },
): Promise<{ items: MatchCycle[]; cursor: string | undefined }> {
  if (request.cursor !== undefined && !LISTING_SORT_KEY.test(request.cursor)) throw badCursor();
  let after = request.cursor;
  const shown: { cycle: MatchCycle; sortKey: string }[] = [];
  let read = 0;
  for (;;) {
    const reads = await Promise.all(sources.map((source) => sortKeysAfter(partitionOf(source), after, request.limit + 1)));
    const more = reads.filter((r) => r.more);
    const reached = more.length === 0 ? undefined : more.map((r) => r.keys.at(-1)!.sortKey).sort()[0]!;
    const merged = new Map<string, string>();
    for (const r of reads) for (const k of r.keys) if (reached === undefined || k.sortKey <= reached) merged.set(k.sortKey, k.cycleId);
    const sortKeys = [...merged.keys()].sort();
    const cycles = await batchGet<Record<string, unknown>>(sortKeys.map((k) => cycle.key(merged.get(k)!)));
    const byId = new Map(cycles.map((item) => recordOf<MatchCycle>(cycle.entity, item, ['leaseToken', 'leaseUntil'])).map((c) => [c.cycleId, c]));
    for (const sortKey of sortKeys) {
      const found = byId.get(merged.get(sortKey)!);
      if (found && request.select(found)) shown.push({ cycle: found, sortKey });
    }
    read += sortKeys.length;
    if (shown.length > request.limit) return { items: shown.slice(0, request.limit).map((s) => s.cycle), cursor: shown[request.limit - 1]!.sortKey };
    if (reached === undefined) return { items: shown.map((s) => s.cycle), cursor: undefined };
    if (read >= MAX_CYCLES_READ) return { items: shown.map((s) => s.cycle), cursor: reached };
    after = reached;
  }
}

async function sortKeysAfter(on: Partition, after: string | undefined, limit: number) {
  const { name, partitionKey, sortKey } = on.on;
  const result = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: name,
      KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
      ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey, '#id': 'cycleId' },
      ExpressionAttributeValues: { ':pk': on.value, ...(after === undefined ? {} : { ':after': after }) },
      ProjectionExpression: '#sk, #id',
      Limit: limit,
    }),
  );
  const keys = (result.Items ?? []).map((item) => ({ sortKey: item[sortKey] as string, cycleId: item.cycleId as string }));
  return { keys, more: result.LastEvaluatedKey !== undefined };
}

/** Fits with their explanations run to ~1 KB: 100 keep an item well under DynamoDB's 400 KB. */
const FITS_PER_ITEM = 100;

export async function putFitRankings(cycleId: string, rankings: ReadonlyMap<string, readonly Fit[]>): Promise<void> {
  const items = [...rankings].flatMap(([openingId, fits]) =>
    Array.from({ length: Math.max(1, Math.ceil(fits.length / FITS_PER_ITEM)) }, (_, chunk) =>
      itemOf(cycle.fitRanking.entity, [cycle.fitRanking.key(cycleId, openingId, chunk)], {
        openingId,
        fits: fits.slice(chunk * FITS_PER_ITEM, (chunk + 1) * FITS_PER_ITEM),
      }),
    ),
  );
  await batchPut(items);
}

/** The stored fit ranking of every opening, or of these, best first (chunks come back in key order). */
export async function fitRankingsOf(cycleId: string, openingIds?: readonly string[]): Promise<Map<string, Fit[]>> {
  const { on, value } = cycle.fitRanking.of(cycleId);
  const partitions = openingIds ? openingIds.map((id) => partition(on, value, `${id}#`)) : [cycle.fitRanking.of(cycleId)];
  const items = (await Promise.all(partitions.map((p) => queryAll<Record<string, unknown>>({ partition: p, consistent: true })))).flat();
  const rankings = new Map<string, Fit[]>();
  for (const item of items) {
    const { openingId, fits } = recordOf<{ openingId: string; fits: Fit[] }>(cycle.fitRanking.entity, item);
    rankings.set(openingId, [...(rankings.get(openingId) ?? []), ...fits]);
  }
  return rankings;
}

/** Drops a run's stored rankings: before an attempt (a previous one may have left more chunks) and once it has finished (they hold people's fits). */
export async function discardFitRankings(cycleId: string): Promise<void> {
  const items = await queryAll<Record<string, unknown>>({ partition: cycle.fitRanking.of(cycleId), consistent: true });
  await batchDelete(items.map(tableKeyOf));
}
