import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, serviceBusy } from '../errors';
import { db, table } from './client';
import { pendingMarkUpdate, type SourceEntity } from './aggregation';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf } from './entity';
import { openingKey } from './openings';
import { batchGet, queryAll, queryPage, queryPointers, type Page, type PageRequest, type Select } from './query';
import { batchDelete, batchPut } from './records';
import type { Decision } from '../schemas/matching';
import type { OrganisationKind } from '../schemas/openings';

export type ProposalStatus = 'unpublished' | 'proposed' | 'candidate-accepted' | 'candidate-declined' | 'accepted' | 'organisation-declined' | 'withdrawn';

/** Why a proposal was withdrawn: the candidate is no longer one for its opening. */
export type WithdrawalReason = 'consent-withdrawn' | 'account-erased' | 'placed-elsewhere' | 'no-longer-eligible' | 'matched-elsewhere';

/** A round as requested: computed by the match-run job (shared/jobs.ts) unless it failed. */
export interface RequestedRun {
  runId: string;
  prefecture: string;
  createdBy: { sub: string; role: string };
  createdAt: string;
  dryRun: boolean;
  includeSelfReported: boolean;
  status: 'computing' | 'failed';
  /** Why the job gave up (status failed). */
  failure?: string;
}

export interface MatchRun extends Omit<RequestedRun, 'status' | 'failure'> {
  status: 'unpublished' | 'publishing' | 'published';
  counts: { openings: number; seats: number; candidates: number; matched: number; unmatched: number };
  stable: boolean;
  /** When the job finished computing it (absent for rounds computed within a request). */
  computedAt?: string;
  publishedAt?: string;
}

export type StoredRun = RequestedRun | MatchRun;
export const isComputed = (run: StoredRun): run is MatchRun => run.status !== 'computing' && run.status !== 'failed';

export interface Proposal {
  proposalId: string;
  runId: string;
  prefecture: string;
  openingId: string;
  ownerOrg: string;
  /** employer or municipality: with ownerOrg, who may decide for the organisation. */
  ownerKind: OrganisationKind;
  learnerId: string;
  /** What the organisation sees instead of learnerId until acceptance (kept: a key rotation changes no open proposal). */
  candidateHandle?: string;
  residencePrefecture: string;
  workplacePrefecture: string;
  workStyle: string;
  score: number;
  explanation: {
    met: unknown[];
    missing: unknown[];
    readiness: number;
    /** Where the opening stood in the candidate's list, and the candidate in the opening's (1 = first). */
    candidateRank: number;
    openingRank: number;
  };
  status: ProposalStatus;
  decisions: { by: 'candidate' | 'organisation'; decision: Decision; at: string }[];
  createdAt: string;
  publishedAt?: string;
  acceptedOn?: string;
  fiscalYear?: number;
  withdrawnReason?: WithdrawalReason;
  /** The opening's catalog matrix is an estimate (the score and explanation rest on it). */
  provisional?: true;
  provisionalReason?: string;
  /** An accepted placement's last day, once the organisation or the center records it. */
  endedOn?: string;
  version: number;
}

/**
 * A match run: its own item; on gsi1, in its prefecture's partition, newest last. A
 * proposal: its own item. Pointer items (holding only the proposal id) list a run's
 * proposals (written with them, before the run) and, once published, a learner's and an
 * organisation's. The run's list is on the table, not an index: publishing reads it right
 * after the round wrote it, and an index answers eventually (it could publish part of the
 * run). Seats are claimed on the opening's own item (shared/data/openings.ts).
 */
const matchRun = {
  entity: 'match-run',
  key: (runId: string) => ({ pk: `MATCHRUN#${runId}`, sk: 'RUN' }),
  /** gsi1: a prefecture's runs, newest last. */
  byPrefecture: (run: StoredRun) => keyOn(index('gsi1'), `MATCHRUNS#${run.prefecture}`, `${run.createdAt}#${run.runId}`),
};
const proposal = {
  entity: 'proposal' satisfies SourceEntity,
  key: (proposalId: string) => ({ pk: `PROPOSAL#${proposalId}`, sk: 'PROPOSAL' }),
  pointer: {
    entity: 'proposal-pointer',
    forRun: (runId: string, proposalId: string) => ({ pk: `MATCHRUN#${runId}#PROPOSALS`, sk: proposalId }),
    ofRun: (runId: string) => partition(primary, `MATCHRUN#${runId}#PROPOSALS`),
    forLearner: (learnerId: string, proposalId: string) => ({ pk: `PROPOSALS#LEARNER#${learnerId}`, sk: proposalId }),
    ofLearner: (learnerId: string) => partition(primary, `PROPOSALS#LEARNER#${learnerId}`),
    forOrganisation: (orgId: string, proposalId: string) => ({ pk: `PROPOSALS#ORG#${orgId}`, sk: proposalId }),
    ofOrganisation: (orgId: string) => partition(primary, `PROPOSALS#ORG#${orgId}`),
  },
};

const toProposal = (item: Record<string, unknown>) => recordOf<Proposal>(proposal.entity, item);

export async function putMatchRun(run: StoredRun): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(matchRun.entity, [matchRun.key(run.runId), matchRun.byPrefecture(run)], run),
        ConditionExpression: 'attribute_not_exists(pk) OR createdAt = :createdAt',
        ExpressionAttributeValues: { ':createdAt': run.createdAt },
      }),
    );
  } catch (error) {
    // Only a retry of this very write (the SDK's, after a lost answer) may find it there.
    if (!isConditionFailure(error)) throw error;
    // Anything else is a collision of random ids: the same request retried gets a fresh one.
    throw serviceBusy(`Match run id ${run.runId} collided with an existing run; retry the same request.`);
  }
}

export async function getMatchRun(runId: string): Promise<StoredRun | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: matchRun.key(runId), ConsistentRead: true }));
  if (!Item) return undefined;
  return recordOf<StoredRun>(matchRun.entity, Item, ['leaseToken', 'leaseUntil']);
}

/**
 * Takes a computing run for one delivery of its message, for `forMs`: the token proves it
 * when finishing. Undefined while another delivery holds an unexpired lease.
 */
export async function leaseRequestedRun(runId: string, now: Date, forMs: number): Promise<string | undefined> {
  const token = randomBytes(8).toString('hex');
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: matchRun.key(runId),
        UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until',
        ConditionExpression: '#status = :computing AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':token': token, ':until': now.getTime() + forMs, ':now': now.getTime(), ':computing': 'computing' },
      }),
    );
    return token;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Stores the computed round over its request, if this lease still holds it; false otherwise (the round stays as it is). */
export async function finishRequestedRun(run: MatchRun, lease: string): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(matchRun.entity, [matchRun.key(run.runId), matchRun.byPrefecture(run)], run),
        ConditionExpression: '#status = :computing AND leaseToken = :token',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':computing': 'computing', ':token': lease },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Marks a requested round failed, with the reason; only while it is computing. */
export async function failRequestedRun(runId: string, failure: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: matchRun.key(runId),
        UpdateExpression: 'SET #status = :failed, failure = :failure',
        ConditionExpression: '#status = :computing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':failure': failure, ':computing': 'computing' },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Moves a run between statuses; false if it was not in one of `from`. */
export async function setRunStatus(runId: string, from: MatchRun['status'][], to: MatchRun['status'], at: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: matchRun.key(runId),
        UpdateExpression: to === 'published' ? 'SET #status = :to, publishedAt = :at' : 'SET #status = :to',
        ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': to, ...(to === 'published' ? { ':at': at } : {}), ...Object.fromEntries(from.map((f, i) => [`:from${i}`, f])) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Proposal ids are derived from (run, learner): writing them twice writes the same items. */
export async function putProposals(proposals: readonly Proposal[]): Promise<void> {
  const { pointer } = proposal;
  await batchPut(
    proposals.flatMap((p) => [
      itemOf(proposal.entity, [proposal.key(p.proposalId)], p),
      itemOf(pointer.entity, [pointer.forRun(p.runId, p.proposalId)], { proposalId: p.proposalId }),
    ]),
  );
}

export async function getProposal(proposalId: string): Promise<Proposal | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: proposal.key(proposalId), ConsistentRead: true }));
  return Item ? toProposal(Item) : undefined;
}

export async function getProposals(proposalIds: readonly string[], options: { consistent?: boolean } = {}): Promise<Proposal[]> {
  const items = await batchGet<Record<string, unknown>>(
    proposalIds.map((id) => proposal.key(id)),
    options,
  );
  const byId = new Map(items.map((item) => [item.proposalId as string, toProposal(item)]));
  return proposalIds.map((id) => byId.get(id)).filter((p): p is Proposal => !!p);
}

/** A page of a run's proposals as they are now (consistent reads: the center reviews a round it just ran). */
export async function proposalsOfRunPage(runId: string, request: Pick<PageRequest<Proposal>, 'cursor' | 'limit'>): Promise<Page<Proposal>> {
  return queryPage({
    partition: proposal.pointer.ofRun(runId),
    consistent: true,
    ...request,
    entity: (item) => item.proposalId as string,
    select: async (ids: string[]) => {
      const found = new Map((await getProposals(ids, { consistent: true })).map((p) => [p.proposalId, p]));
      return ids.map((id) => found.get(id));
    },
  });
}

/**
 * Removes what an earlier, interrupted computation of a requested round stored: a new
 * attempt may match other people, and the run must hold exactly the proposals it counts.
 * Only for a run still computing, whose proposals nobody has been shown.
 */
export async function discardProposalsOfRun(runId: string): Promise<number> {
  const pointers = await queryAll<Record<string, unknown>>({ partition: proposal.pointer.ofRun(runId), consistent: true });
  const listed = pointers.map((item) => item.proposalId as string);
  // A proposal once published stays whatever happens: its candidate may have acted on it.
  const published = new Set((await getProposals(listed, { consistent: true })).filter((p) => p.status !== 'unpublished').map((p) => p.proposalId));
  const ids = listed.filter((id) => !published.has(id));
  await batchDelete(ids.flatMap((id) => [proposal.key(id), proposal.pointer.forRun(runId, id)]));
  return ids.length;
}

/** Every proposal of a run as it is now (consistent reads: publishing needs all of them). */
export async function allProposalsOfRun(runId: string): Promise<Proposal[]> {
  const pointers = await queryAll<Record<string, unknown>>({ partition: proposal.pointer.ofRun(runId), consistent: true });
  return getProposals(
    pointers.map((item) => item.proposalId as string),
    { consistent: true },
  );
}

/**
 * One step of the proposal workflow, as a single conditional write: only from `from`.
 * Accepting also bumps the version and marks the proposal pending, so the placement
 * reaches the reports exactly once through the aggregation.
 */
export async function transitionProposal(
  proposalId: string,
  from: ProposalStatus,
  to: ProposalStatus,
  decision: Proposal['decisions'][number] | undefined,
  extra: { publishedAt?: string; acceptedOn?: string; fiscalYear?: number; withdrawnReason?: WithdrawalReason; endedOn?: string } = {},
): Promise<Proposal | undefined> {
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Record<string, unknown> = { ':from': from, ':to': to, ':one': 1 };
  const sets = ['#status = :to', '#version = #version + :one'];
  if (decision) {
    sets.push('decisions = list_append(decisions, :decision)');
    values[':decision'] = [decision];
  }
  for (const [name, value] of Object.entries(extra)) {
    sets.push(`${name} = :${name}`);
    values[`:${name}`] = value;
  }
  if (to === 'accepted') {
    const pending = pendingMarkUpdate(decision?.at ?? new Date().toISOString(), proposalId, proposalId);
    sets.push(...pending.set);
    Object.assign(names, pending.names);
    Object.assign(values, pending.values);
  }
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: proposal.key(proposalId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toProposal(Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Lets the candidate and the organisation find a published proposal. */
/** Records an accepted placement's last day (once; the same day again is a no-op). */
export async function setPlacementEnded(proposalId: string, endedOn: string): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: proposal.key(proposalId),
        // The version is left alone: it says what the aggregation counted, and an end changes no count.
        UpdateExpression: 'SET endedOn = :endedOn',
        ConditionExpression: '#status = :accepted AND (attribute_not_exists(endedOn) OR endedOn = :endedOn)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':endedOn': endedOn, ':accepted': 'accepted' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw conflict('The placement changed meanwhile; reload it.');
  }
}

/** Lists a published proposal for its candidate. */
export async function indexProposalForLearner(p: Proposal): Promise<void> {
  const { pointer } = proposal;
  await batchPut([itemOf(pointer.entity, [pointer.forLearner(p.learnerId, p.proposalId)], { proposalId: p.proposalId })]);
}

/** Lists a proposal for its organisation: once the candidate has accepted it, never before. */
export async function indexProposalForOrganisation(p: Proposal): Promise<void> {
  const { pointer } = proposal;
  await batchPut([itemOf(pointer.entity, [pointer.forOrganisation(p.ownerOrg, p.proposalId)], { proposalId: p.proposalId })]);
}

type ProposalsRequest<T> = PageRequest<Proposal, T> & { select: Select<Proposal, T> };

const fetchProposals = async (ids: string[]) => new Map((await getProposals(ids)).map((p) => [p.proposalId, p]));

/** A learner's proposals, through their index items; `select` decides what the caller sees. */
export async function proposalsForLearner<T>(learnerId: string, request: ProposalsRequest<T>): Promise<Page<T>> {
  return queryPointers(proposal.pointer.ofLearner(learnerId), { idAttribute: 'proposalId', fetch: fetchProposals }, request);
}

/** An organisation's proposals, through their index items; `select` decides what the caller sees. */
export async function proposalsForOrganisation<T>(orgId: string, request: ProposalsRequest<T>): Promise<Page<T>> {
  return queryPointers(proposal.pointer.ofOrganisation(orgId), { idAttribute: 'proposalId', fetch: fetchProposals }, request);
}

/**
 * Takes one of the opening's seats for the proposal: at most `headcount` proposals ever
 * hold one, and the same proposal taking it again is a no-op (a retried accept).
 */
export async function claimSeat(openingId: string, proposalId: string, headcount: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: openingKey(openingId),
        UpdateExpression: 'ADD placements :proposal',
        ConditionExpression: 'contains(placements, :id) OR (#status = :open AND (attribute_not_exists(placements) OR size(placements) < :headcount))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':proposal': new Set([proposalId]), ':open': 'open', ':headcount': headcount, ':id': proposalId },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Gives a seat back when the proposal that took it did not become a placement (only if it holds one). */
export async function releaseSeat(openingId: string, proposalId: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: openingKey(openingId),
        UpdateExpression: 'DELETE placements :proposal',
        ConditionExpression: 'contains(placements, :id)',
        ExpressionAttributeValues: { ':proposal': new Set([proposalId]), ':id': proposalId },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function seatsTaken(openingId: string): Promise<Set<string>> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: openingKey(openingId), ConsistentRead: true, ProjectionExpression: 'placements' }));
  return new Set((Item?.placements as Set<string> | undefined) ?? []);
}
