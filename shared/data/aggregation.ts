import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution } from '../progress/contribution';
import { db, table } from './client';
import { ENTITY_ATTRIBUTE, entityOf, index, isConditionFailure, itemOf, keyOn, primary, tableKeyOf } from './entity';
import { batchGet } from './query';
import { shardLabel, shardOf } from './shards';

/**
 * Storage of the exact progress aggregation (shared/progress/aggregator.ts explains the
 * protocol). Every write here is a single-item conditional write.
 */
export type RecordKey = { pk: string; sk: string };

/**
 * The aggregation's items: one state item (the lease, the open batch), a manifest per
 * batch, and one item of cell counts per aggregate. Source records (completions,
 * qualifications, proposals) live in their own modules and carry the pending mark below.
 */
const aggregation = {
  state: { entity: 'aggregation-state', key: { pk: 'AGG', sk: 'STATE' } },
  manifest: { entity: 'aggregation-manifest', key: (seq: number, owner: string) => ({ pk: 'AGG#BATCH', sk: `${String(seq).padStart(12, '0')}#${owner}` }) },
  aggregate: {
    entity: 'aggregate',
    key: (id: string) => ({ pk: `AGG#${id}`, sk: 'TOTALS' }),
    idOf: (item: Record<string, unknown>) => (item[primary.partitionKey] as string).slice('AGG#'.length),
  },
  /**
   * The sparse pending index, in pendingShards() partitions by the record's owner (a
   * learner: one learner's records stay in one shard), each ordered by when the record
   * last changed. One constant partition would cap every record write near 1,000 WCU/s.
   */
  pending: {
    on: index('pending'),
    shard: (owner: string) => `PENDING#${shardLabel(shardOf(owner, pendingShards()))}`,
    shardAt: (i: number) => `PENDING#${shardLabel(i)}`,
  },
};
const stateKey = aggregation.state.key;
const manifestKey = aggregation.manifest.key;
const aggregateKey = aggregation.aggregate.key;
const CELL = 'n|';
const MARKER = 'applied#';

/** The aggregates (the ids of their items): what the reports read and contributions add to. */
export const aggregateIds = {
  completions: (fiscalYear: number) => `COMPLETIONS#FY${fiscalYear}`,
  people: (ruleVersion: string, fiscalYear: number) => `PEOPLE#${ruleVersion}#FY${fiscalYear}`,
  placements: (fiscalYear: number) => `PLACEMENTS#FY${fiscalYear}`,
};

/** The entities whose records count in the aggregates; their modules write them with a pending mark. */
export const SOURCE_ENTITIES = ['completion', 'qualification', 'proposal'] as const;
export type SourceEntity = (typeof SOURCE_ENTITIES)[number];

/** Which source entity a record read for the aggregation holds; undefined if none. */
export function sourceEntityOf(record: Record<string, unknown>): SourceEntity | undefined {
  const entity = entityOf(record);
  return SOURCE_ENTITIES.find((source) => source === entity);
}

/** The table key of a record read for the aggregation (what its manifest entry names). */
export const recordKeyOf = (record: Record<string, unknown>): RecordKey => tableKeyOf(record);

/**
 * How many partitions the pending index is spread over: KANRYU_PENDING_SHARDS, 16 by
 * default, read on first use. Only ever raise it: the aggregation reads shards 0..N-1, so
 * lowering it would strand the records marked in the shards above.
 */
let shardCount: number | undefined;
export function pendingShards(): number {
  if (shardCount === undefined) {
    const configured = Number(process.env.KANRYU_PENDING_SHARDS ?? 16);
    if (!Number.isInteger(configured) || configured < 1 || configured > 256) {
      throw new Error('invalid configuration: KANRYU_PENDING_SHARDS must be an integer from 1 to 256');
    }
    shardCount = configured;
  }
  return shardCount;
}

/**
 * A source record's mark in the pending index: `owner` (the learner, or for a proposal its
 * id) picks the shard; `id` tells records changed at the same instant apart.
 */
export const pendingMark = (since: string, id: string, owner: string) => keyOn(aggregation.pending.on, aggregation.pending.shard(owner), `${since}#${id}`);

/** The pending mark as SET clauses of an UpdateExpression, for an update that changes a source record. */
export function pendingMarkUpdate(since: string, id: string, owner: string) {
  const { partitionKey, sortKey } = aggregation.pending.on;
  const mark = pendingMark(since, id, owner);
  return {
    set: ['#pendingShard = :pendingShard', '#pendingSince = :pendingSince'],
    names: { '#pendingShard': partitionKey, '#pendingSince': sortKey },
    values: { ':pendingShard': mark[partitionKey], ':pendingSince': mark[sortKey] },
  };
}

export interface AggregationState {
  nextSeq: number;
  openBatch?: { seq: number; owner: string };
}

/** The runner state as it is now, without taking the lease (what an idle poll reads). */
export async function getAggregationState(): Promise<AggregationState | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: stateKey, ConsistentRead: true }));
  if (!Item) return undefined;
  return { nextSeq: Item.nextSeq as number, ...(Item.openBatch ? { openBatch: Item.openBatch as AggregationState['openBatch'] } : {}) };
}

/** Takes (or renews) the single-runner lease; undefined when another runner holds it. */
export async function acquireLease(owner: string, now: number, leaseMs: number): Promise<AggregationState | undefined> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: stateKey,
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, nextSeq = if_not_exists(nextSeq, :one), #entity = :entity',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
        ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
        ExpressionAttributeValues: { ':owner': owner, ':until': now + leaseMs, ':now': now, ':one': 1, ':entity': aggregation.state.entity },
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
        TableName: table(),
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

/**
 * Keys of records whose effect on the aggregates is not yet applied: up to `limit`, taken
 * from every shard in turn (oldest first within a shard), with how long the oldest has
 * waited. An idle poll is these reads and nothing else.
 */
export async function pendingRecordKeys(limit: number): Promise<RecordKey[]> {
  return (await pendingBacklog(limit)).keys;
}

export async function pendingBacklog(limit: number): Promise<{ keys: RecordKey[]; oldestSince: string | undefined }> {
  const { on } = aggregation.pending;
  const perShard = Math.max(1, Math.ceil(limit / pendingShards()));
  const shards = await Promise.all(
    Array.from({ length: pendingShards() }, async (_, i) => {
      const { Items } = await db.send(
        new QueryCommand({
          TableName: table(),
          IndexName: on.name,
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': on.partitionKey, '#since': on.sortKey, '#pk': primary.partitionKey, '#sk': primary.sortKey },
          ExpressionAttributeValues: { ':shard': aggregation.pending.shardAt(i) },
          ProjectionExpression: '#pk, #sk, #since',
          Limit: perShard,
        }),
      );
      return (Items ?? []) as (RecordKey & Record<string, string>)[];
    }),
  );
  const all = shards.flat();
  const oldestSince = all.map((item) => item[on.sortKey]!).sort()[0];
  return { keys: all.slice(0, limit).map(({ pk, sk }) => ({ pk, sk })), oldestSince: oldestSince?.slice(0, 24) };
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
  await db.send(
    new PutCommand({ TableName: table(), Item: itemOf(aggregation.manifest.entity, [manifestKey(manifest.seq, manifest.owner)], { ...manifest, expiresAt }) }),
  );
}

export async function getManifest(seq: number, owner: string): Promise<Manifest | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: manifestKey(seq, owner), ConsistentRead: true }));
  return Item as Manifest | undefined;
}

export async function deleteManifest(seq: number, owner: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: manifestKey(seq, owner) }));
}

/** Commits a manifest as the batch to apply: from here on, whoever holds the lease finishes it. */
export async function openBatch(owner: string, seq: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
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
        TableName: table(),
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
  const names: Record<string, string> = { '#marker': `${MARKER}${index}`, '#entity': ENTITY_ATTRIBUTE };
  const values: Record<string, number | string> = { ':seq': seq, ':entity': aggregation.aggregate.entity };
  const adds = Object.entries(cells).map(([cell, delta], i) => {
    names[`#c${i}`] = `${CELL}${cell}`;
    values[`:c${i}`] = delta;
    return `#c${i} :c${i}`;
  });
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: aggregateKey(aggregate),
        UpdateExpression: `SET #marker = :seq, #entity = :entity ADD ${adds.join(', ')}`,
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
        TableName: table(),
        Key: entry.key,
        UpdateExpression: 'SET countedVersion = :version, counted = :to REMOVE #pendingShard, #pendingSince',
        ConditionExpression: `#version = :version AND ${notPastVersion}`,
        ExpressionAttributeNames: {
          '#version': 'version',
          '#pendingShard': aggregation.pending.on.partitionKey,
          '#pendingSince': aggregation.pending.on.sortKey,
        },
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
        TableName: table(),
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
    result.set(aggregation.aggregate.idOf(item), cells);
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
        TableName: table(),
        FilterExpression: '#entity = :aggregate',
        ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#pk': primary.partitionKey },
        ExpressionAttributeValues: { ':aggregate': aggregation.aggregate.entity },
        ProjectionExpression: '#pk',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) ids.push(aggregation.aggregate.idOf(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Repair: replaces an aggregate's cells with recounted values, keeping its chunk markers. */
export async function overwriteAggregate(id: string, cells: Record<string, number>): Promise<void> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: aggregateKey(id), ConsistentRead: true }));
  const markers = Object.fromEntries(
    Object.entries(Item ?? {}).flatMap(([name, seq]) => (name.startsWith(MARKER) ? [[Number(name.slice(MARKER.length)), seq as number]] : [])),
  );
  await putAggregate(id, cells, markers);
}

/**
 * Writes an aggregate item whole: its cells and, per chunk index, the last batch applied
 * through that chunk. For repair, and for benchmarks that synthesize aggregates of a given
 * size. Returns the item written.
 */
export async function putAggregate(id: string, cells: Record<string, number>, markers: Record<number, number>): Promise<Record<string, unknown>> {
  const item = itemOf(aggregation.aggregate.entity, [aggregateKey(id)], {
    ...Object.fromEntries(Object.entries(markers).map(([index, seq]) => [`${MARKER}${index}`, seq])),
    ...Object.fromEntries(Object.entries(cells).map(([cell, n]) => [`${CELL}${cell}`, n])),
  });
  await db.send(new PutCommand({ TableName: table(), Item: item }));
  return item;
}

/** Deletes an aggregate item (benchmarks that start again from empty aggregates). */
export async function deleteAggregate(id: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: aggregateKey(id) }));
}

/** Every source record (completions, qualifications, proposals), page by page: for the recount only. */
export async function* scanSourceRecords(): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table(),
        FilterExpression: `#entity IN (${SOURCE_ENTITIES.map((_, i) => `:source${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
        ExpressionAttributeValues: Object.fromEntries(SOURCE_ENTITIES.map((entity, i) => [`:source${i}`, entity])),
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
