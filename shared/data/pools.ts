import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../concurrency';
import { db, table } from './client';
import { index, isConditionFailure, itemOf, keyOn, partition, primary, recordOf, tableKeyOf } from './entity';
import { learnerPartition } from './learners';
import { batchGet, queryAll, queryPage } from './query';
import { batchPut } from './records';
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
  entry: {
    entity: 'pool-entry',
    key: (name: string, learnerId: string) => ({ pk: `POOL#${name}`, sk: `LEARNER#${learnerId}` }),
    /** poolChanges: in its pool's partition, by the time it was written (every write moves it). */
    changed: (name: string, at: string) => keyOn(index('poolChanges'), name, at),
  },
  entries: (name: string) => partition(primary, `POOL#${name}`),
  changes: index('poolChanges'),
  published: { entity: 'published-pools', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'POOLS' }) },
};

const poolEntryItem = (name: string, entry: PoolEntry, writtenAt: string) =>
  itemOf(pool.entry.entity, [pool.entry.key(name, entry.learnerId), pool.entry.changed(name, writtenAt)], entry);

export async function putPoolEntry(name: string, entry: PoolEntry): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: table(),
        Item: poolEntryItem(name, entry, new Date().toISOString()),
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

/**
 * Entries written as they are, unconditionally, 25 to a request, stamped as written at
 * `writtenAt`: a bulk load (benchmarks, a restore) into a pool nothing else is writing to,
 * whose shortlists are computed after it (an entry stamped before a shortlist's `since`
 * is taken to be in it). Syncs use `putPoolEntry`.
 */
export async function loadPoolEntries(name: string, entries: readonly PoolEntry[], writtenAt: Date): Promise<void> {
  await batchPut(entries.map((entry) => poolEntryItem(name, entry, writtenAt.toISOString())));
}

const toPoolEntry = (item: Record<string, unknown>) => recordOf<PoolEntry>(pool.entry.entity, item);

/** Every entry of a pool (its size is the number of candidates of a prefecture or style). */
export async function poolEntries(name: string): Promise<PoolEntry[]> {
  const items = await queryAll<Record<string, unknown>>({ partition: pool.entries(name) });
  return items.map(toPoolEntry);
}

/** The whole pool when it holds at most `max` entries (reads at most `max` + 1); otherwise undefined. */
export async function poolEntriesUpTo(name: string, max: number): Promise<PoolEntry[] | undefined> {
  const page = await queryPage({ partition: pool.entries(name), cursor: undefined, limit: max, entity: toPoolEntry });
  return page.cursor === undefined ? page.items : undefined;
}

/** A pool's entries a page at a time (a job reading a pool of any size without holding it). */
export async function* poolEntryPages(name: string): AsyncGenerator<PoolEntry[]> {
  let cursor: string | undefined;
  do {
    const page = await queryPage({ partition: pool.entries(name), cursor, limit: 1000, entity: toPoolEntry });
    yield page.items;
    cursor = page.cursor;
  } while (cursor);
}

/** Where a changed entry is: its table key, to read it (opaque outside this module). */
export type PoolEntryRef = { pk: string; sk: string };

/**
 * The entries of a pool written at or after `since` (ISO time), oldest first, from the
 * keys-only poolChanges index: at most `max`, and whether there were more. An entry
 * written twice shows once, at its last write; one withdrawn from the pool is gone.
 */
export async function poolChangesSince(name: string, since: string, max: number): Promise<{ refs: PoolEntryRef[]; more: boolean }> {
  const refs: PoolEntryRef[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: pool.changes.name,
        KeyConditionExpression: '#pool = :pool AND #at >= :since',
        ExpressionAttributeNames: { '#pool': pool.changes.partitionKey, '#at': pool.changes.sortKey },
        ExpressionAttributeValues: { ':pool': name, ':since': since },
        Limit: max + 1 - refs.length,
        ExclusiveStartKey: start,
      }),
    );
    refs.push(...(result.Items ?? []).map(tableKeyOf));
    start = result.LastEvaluatedKey;
  } while (start && refs.length <= max);
  return refs.length > max ? { refs: refs.slice(0, max), more: true } : { refs, more: false };
}

/** The entries at these references as stored now (gone ones are left out); batches read in parallel. */
export async function poolEntriesAt(refs: readonly PoolEntryRef[]): Promise<PoolEntry[]> {
  const items = await batchGet<Record<string, unknown>>(refs.map((ref) => ({ pk: ref.pk, sk: ref.sk })));
  return items.map(toPoolEntry);
}

export async function withdrawFromPools(learnerId: string, pools: readonly string[], basis: string): Promise<void> {
  await forEachConcurrently(pools, 8, (name) => deletePoolEntry(name, learnerId, basis));
}

/** A basis later than any sync's: erasure wins over a sync still in flight. */
export const ERASURE_BASIS = '\uffff';

export async function deletePublishedPools(learnerId: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: pool.published.key(learnerId) }));
}
