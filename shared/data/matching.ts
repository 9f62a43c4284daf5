import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { keys, pendingMark } from './keys';
import { batchGet, queryAll, queryPage, queryPointers, type Page, type PageRequest, type Select } from './query';
import { batchPut, recordOf } from './records';

export type ProposalStatus = 'unpublished' | 'proposed' | 'candidate-accepted' | 'candidate-declined' | 'accepted' | 'organisation-declined';

export interface MatchRun {
  runId: string;
  prefecture: string;
  createdBy: { sub: string; role: string };
  createdAt: string;
  dryRun: boolean;
  includeSelfReported: boolean;
  status: 'unpublished' | 'publishing' | 'published';
  counts: { openings: number; seats: number; candidates: number; matched: number; unmatched: number };
  stable: boolean;
  publishedAt?: string;
}

export interface Proposal {
  proposalId: string;
  runId: string;
  prefecture: string;
  openingId: string;
  ownerOrg: string;
  /** employer or municipality: with ownerOrg, who may decide for the organisation. */
  ownerKind: string;
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
  decisions: { by: 'candidate' | 'organisation'; decision: 'accept' | 'decline'; at: string }[];
  createdAt: string;
  publishedAt?: string;
  acceptedOn?: string;
  fiscalYear?: number;
  version: number;
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
const toProposal = (item: Record<string, unknown>) => recordOf<Proposal>(item);

export async function putMatchRun(run: MatchRun): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.matchRun(run.runId), ...keys.matchRunByPrefecture(run.prefecture, run.createdAt, run.runId), ...run },
        ConditionExpression: 'attribute_not_exists(pk) OR createdAt = :createdAt',
        ExpressionAttributeValues: { ':createdAt': run.createdAt },
      }),
    );
  } catch (error) {
    // Only a retry of this very write (the SDK's, after a lost answer) may find it there.
    if (!isConditionFailure(error)) throw error;
    throw Object.assign(new Error(`match run id ${run.runId} is taken`), { name: 'InternalServerError' });
  }
}

export async function getMatchRun(runId: string): Promise<MatchRun | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.matchRun(runId), ConsistentRead: true }));
  if (!Item) return undefined;
  return recordOf<MatchRun>(Item);
}

/** Moves a run between statuses; false if it was not in one of `from`. */
export async function setRunStatus(runId: string, from: MatchRun['status'][], to: MatchRun['status'], at: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.matchRun(runId),
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
  await batchPut(proposals.map((p) => ({ ...keys.proposal(p.proposalId), ...keys.proposalByRun(p.runId, p.proposalId), ...p })));
}

export async function getProposal(proposalId: string): Promise<Proposal | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.proposal(proposalId), ConsistentRead: true }));
  return Item ? toProposal(Item) : undefined;
}

export async function getProposals(proposalIds: readonly string[]): Promise<Proposal[]> {
  const items = await batchGet<Record<string, unknown>>(proposalIds.map((id) => keys.proposal(id)));
  const byId = new Map(items.map((item) => [item.proposalId as string, toProposal(item)]));
  return proposalIds.map((id) => byId.get(id)).filter((p): p is Proposal => !!p);
}

export async function proposalsOfRunPage(runId: string, request: PageRequest<Proposal>): Promise<Page<Proposal>> {
  return queryPage({ index: 'gsi1', partitionKey: 'gsi1pk', partitionValue: keys.proposalsOfRun(runId).gsi1pk, entity: toProposal, ...request });
}

export async function allProposalsOfRun(runId: string): Promise<Proposal[]> {
  const items = await queryAll<Record<string, unknown>>({ index: 'gsi1', partitionKey: 'gsi1pk', partitionValue: keys.proposalsOfRun(runId).gsi1pk });
  return items.map(toProposal);
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
  extra: { publishedAt?: string; acceptedOn?: string; fiscalYear?: number } = {},
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
    const mark = pendingMark(decision?.at ?? new Date().toISOString(), proposalId);
    sets.push('pendingShard = :shard', 'pendingSince = :since');
    values[':shard'] = mark.pendingShard;
    values[':since'] = mark.pendingSince;
  }
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.proposal(proposalId),
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
export async function indexPublishedProposal(proposal: Proposal): Promise<void> {
  await batchPut([
    { ...keys.proposalForLearner(proposal.learnerId, proposal.proposalId), proposalId: proposal.proposalId },
    { ...keys.proposalForOrganisation(proposal.ownerOrg, proposal.proposalId), proposalId: proposal.proposalId },
  ]);
}

/** A learner's or an organisation's proposals, through their index items; `select` decides what the caller sees. */
export async function proposalsFor<T>(partition: { pk: string }, request: PageRequest<Proposal, T> & { select: Select<Proposal, T> }): Promise<Page<T>> {
  const fetch = async (ids: string[]) => new Map((await getProposals(ids)).map((p) => [p.proposalId, p]));
  return queryPointers(partition.pk, { idAttribute: 'proposalId', fetch }, request);
}

/**
 * Takes one of the opening's seats for the proposal: at most `headcount` proposals ever
 * hold one, and the same proposal taking it again is a no-op (a retried accept).
 */
export async function claimSeat(openingId: string, proposalId: string, headcount: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.opening(openingId),
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

export async function seatsTaken(openingId: string): Promise<Set<string>> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.opening(openingId), ConsistentRead: true, ProjectionExpression: 'placements' }));
  return new Set((Item?.placements as Set<string> | undefined) ?? []);
}
