import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution } from '../progress/contribution';
import { db, table } from './client';
import { PENDING } from './keys';
import { batchGet } from './query';

/**
 * Storage of the exact progress aggregation (shared/progress/aggregator.ts explains the
 * protocol). Every write here is a single-item conditional write.
 */
export type RecordKey = { pk: string; sk: string };

const stateKey = { pk: 'AGG', sk: 'STATE' };
const manifestKey = (seq: number, owner: string) => ({ pk: 'AGG#BATCH', sk: `${String(seq).padStart(12, '0')}#${owner}` });
const aggregateKey = (id: string) => ({ pk: `AGG#${id}`, sk: 'TOTALS' });
const CELL = 'n|';

export interface AggregationState {
  nextSeq: number;
  openBatch?: { seq: number; owner: string };
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Takes (or renews) the single-runner lease; undefined when another runner holds it. */
export async function acquireLease(owner: string, now: number, leaseMs: number): Promise<AggregationState | undefined> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table,
        Key: stateKey,
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, nextSeq = if_not_exists(nextSeq, :one)',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner, ':until': now + leaseMs, ':now': now, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { nextSeq: Attributes!.nextSeq as number, ...(Attributes!.openBatch ? { openBatch: Attributes!.openBatch as AggregationState['openBatch'] } : {}) };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export async function releaseLease(owner: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table,
        Key: stateKey,
        UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
        ConditionExpression: 'leaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Keys of records whose effect on the aggregates is not yet applied, oldest first. */
export async function pendingRecordKeys(limit: number): Promise<RecordKey[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'pending',
      KeyConditionExpression: 'pendingShard = :pending',
      ExpressionAttributeValues: { ':pending': PENDING },
      ProjectionExpression: 'pk, sk',
      Limit: limit,
    }),
  );
  return (Items ?? []) as RecordKey[];
}

export const readRecords = (keys: RecordKey[]) => batchGet<Record<string, unknown>>(keys, { consistent: true });

export interface ManifestEntry {
  key: RecordKey;
  version: number;
  from: Contribution;
  to: Contribution;
}

export interface Manifest {
  seq: number;
  owner: string;
  entries: ManifestEntry[];
  /** Per aggregate id, the cell deltas split into chunks; each chunk is applied once. */
  chunks: { aggregate: string; index: number; cells: Record<string, number> }[];
}

export async function putManifest(manifest: Manifest, expiresAt: number): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { ...manifestKey(manifest.seq, manifest.owner), ...manifest, expiresAt } }));
}

export async function getManifest(seq: number, owner: string): Promise<Manifest | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: manifestKey(seq, owner), ConsistentRead: true }));
  return Item as Manifest | undefined;
}

export async function deleteManifest(seq: number, owner: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table, Key: manifestKey(seq, owner) }));
}

/** Commits a manifest as the batch to apply: from here on, whoever holds the lease finishes it. */
export async function openBatch(owner: string, seq: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: stateKey,
        UpdateExpression: 'SET openBatch = :batch, nextSeq = :next',
        ConditionExpression: 'leaseOwner = :owner AND nextSeq = :seq AND attribute_not_exists(openBatch)',
        ExpressionAttributeValues: { ':batch': { seq, owner }, ':next': seq + 1, ':owner': owner, ':seq': seq },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function closeBatch(seq: number): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table,
        Key: stateKey,
        UpdateExpression: 'REMOVE openBatch',
        ConditionExpression: 'openBatch.seq = :seq',
        ExpressionAttributeValues: { ':seq': seq },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * Adds one chunk of a batch to an aggregate item, once: the chunk's marker records the
 * last batch applied through it, and batches are applied strictly in sequence.
 */
export async function applyChunk(aggregate: string, index: number, seq: number, cells: Record<string, number>): Promise<boolean> {
  const names: Record<string, string> = { '#marker': `applied#${index}` };
  const values: Record<string, number> = { ':seq': seq };
  const adds = Object.entries(cells).map(([cell, delta], i) => {
    names[`#c${i}`] = `${CELL}${cell}`;
    values[`:c${i}`] = delta;
    return `#c${i} :c${i}`;
  });
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: aggregateKey(aggregate),
        UpdateExpression: `SET #marker = :seq ADD ${adds.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#marker) OR #marker < :seq',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Records on the source item which version's contribution the aggregates now hold, and
 * takes it off the pending index unless it changed since the snapshot (then the next
 * batch counts the change). One write in the common case.
 */
export async function markCounted(entry: ManifestEntry): Promise<void> {
  const values = { ':version': entry.version, ':to': entry.to };
  const notCountedYet = '(attribute_not_exists(countedVersion) OR countedVersion < :version)';
  // Equal is allowed here: a record counted at this version but still marked pending (an
  // older two-write release that stopped half way) is released, never processed forever.
  const notPastVersion = '(attribute_not_exists(countedVersion) OR countedVersion <= :version)';
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: entry.key,
        UpdateExpression: 'SET countedVersion = :version, counted = :to REMOVE pendingShard, pendingSince',
        ConditionExpression: `#version = :version AND ${notPastVersion}`,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: values,
      }),
    );
    return;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  await db
    .send(
      new UpdateCommand({
        TableName: table,
        Key: entry.key,
        UpdateExpression: 'SET countedVersion = :version, counted = :to',
        ConditionExpression: `attribute_exists(pk) AND ${notCountedYet}`,
        ExpressionAttributeValues: values,
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function readAggregates(ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const items = await batchGet<Record<string, unknown>>(ids.map(aggregateKey));
  const result = new Map<string, Record<string, number>>();
  for (const item of items) {
    const cells: Record<string, number> = {};
    for (const [name, value] of Object.entries(item)) if (name.startsWith(CELL) && value !== 0) cells[name.slice(CELL.length)] = value as number;
    result.set((item.pk as string).slice('AGG#'.length), cells);
  }
  return result;
}

/** Every aggregate item (a few per fiscal year and rule): for the recount only. */
export async function scanAggregateIds(): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'sk = :totals AND begins_with(pk, :agg)',
        ExpressionAttributeValues: { ':totals': 'TOTALS', ':agg': 'AGG#' },
        ProjectionExpression: 'pk',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) ids.push((item.pk as string).slice('AGG#'.length));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Repair: replaces an aggregate's cells with recounted values, keeping its chunk markers. */
export async function overwriteAggregate(id: string, cells: Record<string, number>): Promise<void> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: aggregateKey(id), ConsistentRead: true }));
  const kept = Object.fromEntries(Object.entries(Item ?? {}).filter(([name]) => name.startsWith('applied#')));
  const counted = Object.fromEntries(Object.entries(cells).map(([cell, n]) => [`${CELL}${cell}`, n]));
  await db.send(new PutCommand({ TableName: table, Item: { ...aggregateKey(id), ...kept, ...counted } }));
}

/** Every source record (completions, qualifications, proposals), page by page: for the recount only. */
export async function* scanSourceRecords(): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression:
          '(begins_with(pk, :learner) AND (begins_with(sk, :completion) OR begins_with(sk, :qualification))) OR (begins_with(pk, :proposal) AND sk = :proposalSk)',
        ExpressionAttributeValues: {
          ':learner': 'LEARNER#',
          ':completion': 'COMPLETION#',
          ':qualification': 'QUALIFICATION#',
          ':proposal': 'PROPOSAL#',
          ':proposalSk': 'PROPOSAL',
        },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
