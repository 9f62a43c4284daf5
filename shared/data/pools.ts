import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../concurrency';
import { db, table } from './client';
import { keys } from './keys';
import { queryAll } from './query';

/**
 * A consenting learner's entry in a candidate pool: what ranking and matching read, so a
 * ranking reads one partition instead of every learner's items. Entries are derived data,
 * ordered by `basis` so an older sync never overwrites a newer one.
 */
export interface PoolEntry {
  learnerId: string;
  residencePrefecture: string;
  workPrefectures: string[];
  workStyles: string[];
  turn: string;
  verified: Record<string, string>;
  selfReported: Record<string, string>;
  readiness: Record<string, number>;
  basis: string;
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export async function putPoolEntry(pool: string, entry: PoolEntry): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.poolEntry(pool, entry.learnerId), ...entry },
        ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis',
        ExpressionAttributeValues: { ':basis': entry.basis },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function deletePoolEntry(pool: string, learnerId: string, basis: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table,
        Key: keys.poolEntry(pool, learnerId),
        ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis',
        ExpressionAttributeValues: { ':basis': basis },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export interface PublishedPools {
  pools: string[];
  basis: string;
  /** The entry content last published to all of `pools` (absent while a sync is under way). */
  contentHash?: string;
}

export async function getPublishedPools(learnerId: string): Promise<PublishedPools | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.learnerPools(learnerId), ConsistentRead: true }));
  return Item
    ? { pools: Item.pools as string[], basis: Item.basis as string, ...(Item.contentHash ? { contentHash: Item.contentHash as string } : {}) }
    : undefined;
}

export async function putPublishedPools(learnerId: string, pools: string[], basis: string, contentHash?: string): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.learnerPools(learnerId), pools, basis, ...(contentHash ? { contentHash } : {}) },
        ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis',
        ExpressionAttributeValues: { ':basis': basis },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Every entry of a pool (its size is the number of candidates of a prefecture or style). */
export async function poolEntries(pool: string): Promise<PoolEntry[]> {
  const items = await queryAll<Record<string, unknown>>({ partitionKey: 'pk', partitionValue: keys.pool(pool).pk });
  return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as PoolEntry);
}

export async function withdrawFromPools(learnerId: string, pools: readonly string[], basis: string): Promise<void> {
  await forEachConcurrently(pools, 8, (pool) => deletePoolEntry(pool, learnerId, basis));
}

/** A basis later than any sync's: erasure wins over a sync still in flight. */
export const ERASURE_BASIS = '\uffff';

export async function deletePublishedPools(learnerId: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table, Key: keys.learnerPools(learnerId) }));
}
