import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../concurrency';
import { db, table } from './client';
import { isConditionFailure, itemOf, partition, primary, recordOf } from './entity';
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
 * per learner; in the learner's partition, the pools they were last published to, so a
 * sync knows what to withdraw; and per pool, a log of the entries written, which ranking
 * merges into a shortlist computed before them.
 *
 * The log is items of its own rather than an index keyed by write time: such a key moves
 * on every rewrite, and DynamoDB bills a moved index key as two index writes (the old
 * entry out, the new one in), where a log item is one write that expires by itself.
 */
const pool = {
  entry: {
    entity: 'pool-entry',
    key: (name: string, learnerId: string) => ({ pk: `POOL#${name}`, sk: `LEARNER#${learnerId}` }),
  },
  entries: (name: string) => partition(primary, `POOL#${name}`),
  change: {
    entity: 'pool-change',
    key: (name: string, at: string, learnerId: string) => ({ pk: `POOLCHANGES#${name}`, sk: `${at}#${learnerId}` }),
  },
  /** A pool's change log, by write time (sort keys start with the ISO time). */
  changes: (name: string) => partition(primary, `POOLCHANGES#${name}`),
  published: { entity: 'published-pools', key: (learnerId: string) => ({ pk: learnerPartition(learnerId), sk: 'POOLS' }) },
};

/**
 * How long a log item is kept: longer than any shortlist lives before its daily
 * recomputation (shared/domain/shortlist-refresh.ts), which is all a merge looks back.
 */
const CHANGE_KEEP_SECONDS = 3 * 24 * 3600;

const poolEntryItem = (name: string, entry: PoolEntry) => itemOf(pool.entry.entity, [pool.entry.key(name, entry.learnerId)], entry);

/** Logs that the learner's entry in the pool is (about to be) written now. */
async function logPoolChange(name: string, learnerId: string): Promise<void> {
  const now = new Date();
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: itemOf(pool.change.entity, [pool.change.key(name, now.toISOString(), learnerId)], {
        learnerId,
        expiresAt: Math.floor(now.getTime() / 1000) + CHANGE_KEEP_SECONDS,
      }),
    }),
  );
}

/**
 * Writes the entry unless a newer sync wrote it. The change is logged first: a sync that
 * stops between the two leaves a log item for an unchanged entry (a merge reads it again,
 * harmlessly), never a changed entry that no merge would see.
 */
export async function putPoolEntry(name: string, entry: PoolEntry): Promise<void> {
  await logPoolChange(name, entry.learnerId);
  await db
    .send(
      new PutCommand({
        TableName: table(),
        Item: poolEntryItem(name, entry),
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
 * Entries written as they are, unconditionally, 25 to a request, and not logged: a bulk
 * load (benchmarks, a restore) into a pool nothing else is writing to, whose shortlists
 * are computed after it. Syncs use `putPoolEntry`.
 */
export async function loadPoolEntries(name: string, entries: readonly PoolEntry[]): Promise<void> {
  await batchPut(entries.map((entry) => poolEntryItem(name, entry)));
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
 * The entries of a pool written at or after `since` (ISO time), by their last write,
 * oldest first, from the pool's change log: at most `max`, and whether there were more.
 * An entry written twice shows once; one withdrawn from the pool since is left out when
 * the entries are read (poolEntriesAt).
 */
export async function poolChangesSince(name: string, since: string, max: number): Promise<{ refs: PoolEntryRef[]; more: boolean }> {
  // Latest write last: a Map keeps first-insertion order, so a rewrite is moved to the end.
  const learners = new Map<string, true>();
  // A learner written many times takes as many log items: bound the read all the same.
  let budget = 4 * (max + 1);
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: '#pk = :pk AND #sk >= :since',
        ExpressionAttributeNames: { '#pk': primary.partitionKey, '#sk': primary.sortKey },
        ExpressionAttributeValues: { ':pk': pool.changes(name).value, ':since': since },
        ProjectionExpression: 'learnerId',
        Limit: Math.min(budget, max + 1 - learners.size + 16),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) {
      const learnerId = item.learnerId as string;
      learners.delete(learnerId);
      learners.set(learnerId, true);
    }
    budget -= result.Items?.length ?? 0;
    start = result.LastEvaluatedKey;
  } while (start && learners.size <= max && budget > 0);
  const refs = [...learners.keys()].map((learnerId) => pool.entry.key(name, learnerId));
  const more = start !== undefined;
  return refs.length > max || more ? { refs: refs.slice(0, max), more: true } : { refs, more: false };
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
