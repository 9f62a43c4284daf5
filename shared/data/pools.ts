import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../concurrency';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
import { learnerPartition } from './learners';
import { queryAll } from './query';
import type { CompactStanding } from '../domain/standing';

/**
 * A consenting learner's entry in a candidate pool: what ranking and matching read, so a
 * ranking reads one partition instead of every learner's items. Entries are derived data,
 * ordered by `basis` so an older sync never overwrites a newer one. `standings` holds one
 * compact standing per installed catalog version (shared/domain/standing.ts).
 */
export interface PoolEntry {
  learnerId: string;
  residencePrefecture: string;
  workPrefectures: string[];
  workStyles: string[];
  turn: string;
  standings: Record<string, CompactStanding>;
  basis: string;
}

/**
 * Candidate pools (see shared/domain/candidate-pool.ts): a partition per pool, an entry
 * per learner; and in the learner's partition, the pools they were last published to, so
 * a sync knows what to withdraw.
 */
const pool = {
  entry: { entity: 'pool-entry', key: (name: string, learnerId: string) => ({ pk: `POOL#${name}`, sk: `LEARNER#${learnerId}` }) },
  entries: (name: string) => partition(primary, `POOL#${name}`),
  published: { entity: 'published-pools', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'POOLS' }) },
};

export async function putPoolEntry(name: string, entry: PoolEntry): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(pool.entry.entity, [pool.entry.key(name, entry.learnerId)], entry),
        ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis',
        ExpressionAttributeValues: { ':basis': entry.basis },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function deletePoolEntry(name: string, learnerId: string, basis: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: table(),
        Key: pool.entry.key(name, learnerId),
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
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: pool.published.key(learnerId), ConsistentRead: true }));
  if (!Item) return undefined;
  const published = recordOf<PublishedPools>(pool.published.entity, Item);
  return { pools: published.pools, basis: published.basis, ...(published.contentHash ? { contentHash: published.contentHash } : {}) };
}

export async function putPublishedPools(learnerId: string, pools: string[], basis: string, contentHash?: string): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: table(),
        Item: itemOf(pool.published.entity, [pool.published.key(learnerId)], { pools, basis, ...(contentHash ? { contentHash } : {}) }),
        ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis',
        ExpressionAttributeValues: { ':basis': basis },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Every entry of a pool (its size is the number of candidates of a prefecture or style). */
export async function poolEntries(name: string): Promise<PoolEntry[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: pool.entries(name) });
  return items.map((item) => recordOf<PoolEntry>(pool.entry.entity, item));
}

export async function withdrawFromPools(learnerId: string, pools: readonly string[], basis: string): Promise<void> {
  await forEachConcurrently(pools, 8, (name) => deletePoolEntry(name, learnerId, basis));
}

/** A basis later than any sync's: erasure wins over a sync still in flight. */
export const ERASURE_BASIS = '\uffff';

export async function deletePublishedPools(learnerId: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: pool.published.key(learnerId) }));
}
