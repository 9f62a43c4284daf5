import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution } from '../progress/contribution';
import { db, table } from './client';
import { ENTITY_ATTRIBUTE, entityOf, index, isConditionFailure, itemOf, keyOn, partition, primary, tableKeyOf, type Partition } from './entity';
import { batchGet, queryAll } from './query';
import { shardLabel, shardOf } from './shards';

/**
 * Storage of the exact progress aggregation (shared/progress/aggregator.ts explains the
 * protocol). Every write here is a single-item conditional write.
 */
export type RecordKey = { pk: string; sk: string };

/**
 * The aggregation's items: one state item per runner (its lease and its last batch, the
 * manifest inline), and each aggregate as small parts under one partition (cells summed
 * on read; shared/progress/contribution.ts partsOf). Source records (completions,
 * qualifications, proposals) live in their own modules and carry the pending mark below.
 */
const aggregation = {
  // A partition per runner: runners never share a partition's write rate.
  state: { entity: 'aggregation-state', key: (runner: number) => ({ pk: `AGG#RUNNER#${shardLabel(runner)}`, sk: 'STATE' }) },
  aggregate: {
    entity: 'aggregate',
    key: (id: string, part: string) => ({ pk: `AGG#${id}`, sk: part }),
    parts: (id: string) => partition(primary, `AGG#${id}`),
    idOf: (item: Record<string, unknown>) => (item[primary.partitionKey] as string).slice('AGG#'.length),
    partOf: (item: Record<string, unknown>) => item[primary.sortKey] as string,
  },
  /**
   * The sparse pending index, in pendingShards() partitions by the record's owner (a
   * learner: one learner's records stay in one shard, so in one runner), each ordered by
   * when the record last changed. One constant partition would cap every record write
   * near 1,000 WCU/s.
   */
  pending: {
    on: index('pending'),
    shard: (owner: string) => `PENDING#${shardLabel(shardOf(owner, pendingShards()))}`,
    shardAt: (i: number) => `PENDING#${shardLabel(i)}`,
  },
};
const stateKey = aggregation.state.key;
const partKey = aggregation.aggregate.key;
/**
 * An aggregate part holds its cells as top-level attributes named by the cell (a report
 * reads every byte of every part, so names carry no prefix): every attribute but the keys,
 * the entity name and the chunk markers. No cell name (shared/progress/contribution.ts)
 * is a key name or starts like a marker.
 */
const isCell = (name: string) => name !== primary.partitionKey && name !== primary.sortKey && name !== ENTITY_ATTRIBUTE && !name.startsWith(MARKER);
/** A chunk's marker: the last batch of that runner applied through it. */
const markerName = (runner: number, index: number) => `applied#${runner}#${index}`;
const MARKER = 'applied#';

/** The aggregates (the ids of their items): what the reports read and contributions add to. */
export const aggregateIds = {
  completions: (fiscalYear: number) => `COMPLETIONS#FY${fiscalYear}`,
  people: (ruleVersion: string, fiscalYear: number) => `PEOPLE#${ruleVersion}#FY${fiscalYear}`,
  placements: (fiscalYear: number) => `PLACEMENTS#FY${fiscalYear}`,
};

export const isCompletionsAggregate = (id: string) => id.startsWith('COMPLETIONS#');

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
 * How long a pending mark waits before the aggregation takes it: KANRYU_PROGRESS_HOLD_SECONDS,
 * 30 by default (progress is promised within a minute). While a learner's mark waits, that
 * learner's further completions are written without a mark of their own and counted with
 * it: one index entry per learner per burst instead of one per record (see
 * shared/data/completions.ts). 0 turns the sharing off (every record is marked).
 */
let holdMs: number | undefined;
export function pendingHoldMs(): number {
  if (holdMs === undefined) {
    const configured = Number(process.env.KANRYU_PROGRESS_HOLD_SECONDS ?? 30);
    if (!Number.isFinite(configured) || configured < 0 || configured > 50) {
      throw new Error('invalid configuration: KANRYU_PROGRESS_HOLD_SECONDS must be a number from 0 to 50');
    }
    holdMs = Math.round(configured * 1000);
  }
  return holdMs;
}

/** When a mark written at `since` (its index sort key) becomes due for the aggregation. */
export const markDueAt = (since: string) => Date.parse(since.slice(0, 24)) + pendingHoldMs();

/**
 * A source record's mark in the pending index: `owner` (the learner, or for a proposal its
 * id) picks the shard; `id` tells records changed at the same instant apart.
 */
export const pendingMark = (since: string, id: string, owner: string) => keyOn(aggregation.pending.on, aggregation.pending.shard(owner), `${since}#${id}`);

/** The pending mark as SET clauses of an UpdateExpression, for an update that changes a source record (an existing mark is kept). */
export function pendingMarkUpdate(since: string, id: string, owner: string) {
  const { partitionKey, sortKey } = aggregation.pending.on;
  const mark = pendingMark(since, id, owner);
  // A mark already there stays: a completion written meanwhile may rely on its turn.
  return {
    set: ['#pendingShard = if_not_exists(#pendingShard, :pendingShard)', '#pendingSince = if_not_exists(#pendingSince, :pendingSince)'],
    names: { '#pendingShard': partitionKey, '#pendingSince': sortKey },
    values: { ':pendingShard': mark[partitionKey], ':pendingSince': mark[sortKey] },
  };
}

/**
 * How many runners share the aggregation: KANRYU_AGGREGATION_RUNNERS, 4 by default (at
 * most the shard count). Runner r owns the pending shards s with s mod runners = r, so
 * each learner's records are counted by one runner only; runners apply their batches to
 * the same aggregate parts with ADD, each behind markers of its own. Change it only while
 * nothing is pending (a shard moving to another runner mid-batch could be counted twice).
 */
let runnerCount: number | undefined;
export function aggregationRunners(): number {
  if (runnerCount === undefined) {
    const configured = Number(process.env.KANRYU_AGGREGATION_RUNNERS ?? Math.min(4, pendingShards()));
    if (!Number.isInteger(configured) || configured < 1 || configured > pendingShards()) {
      throw new Error('invalid configuration: KANRYU_AGGREGATION_RUNNERS must be an integer from 1 to KANRYU_PENDING_SHARDS');
    }
    runnerCount = configured;
  }
  return runnerCount;
}

const shardsOfRunner = (runner: number, runners: number) => Array.from({ length: pendingShards() }, (_, i) => i).filter((i) => i % runners === runner);

export interface ManifestEntry {
  key: RecordKey;
  version: number;
  to: Contribution;
  /**
   * The pending mark the record carried when read (stamped after the others, see the
   * aggregator); the stamp removes that mark only, never one written since.
   */
  mark?: string;
}

/** A part of an aggregate and the cells one batch adds to it, split into chunks of a few dozen cells. */
export interface Chunk {
  aggregate: string;
  part: string;
  index: number;
  cells: Record<string, number>;
}

export interface Manifest {
  seq: number;
  owner: string;
  entries: ManifestEntry[];
  chunks: Chunk[];
}

export interface AggregationState {
  /** The sequence number the runner's next batch takes. */
  nextSeq: number;
  leaseOwner?: string;
  leaseUntil?: number;
  /** The runner's last batch, kept after it finishes: the next batch's open replaces it. */
  batch?: Manifest;
}

/** A runner's state as it is now (consistent read; an idle poll reads this and the pending index only). */
export async function getAggregationState(runner: number): Promise<AggregationState> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: stateKey(runner), ConsistentRead: true }));
  return {
    nextSeq: (Item?.nextSeq as number | undefined) ?? 1,
    ...(Item?.leaseOwner ? { leaseOwner: Item.leaseOwner as string, leaseUntil: Item.leaseUntil as number } : {}),
    ...(Item?.batch ? { batch: Item.batch as Manifest } : {}),
  };
}

/**
 * Commits a batch and takes (or renews) the runner's lease in one write: from here on,
 * whoever runs next finishes this batch before building another. Fails (false) when
 * another runner holds the lease or a batch was opened since `state` was read.
 */
export async function openBatch(runner: number, manifest: Manifest, now: number, leaseMs: number): Promise<boolean> {
  const first = manifest.seq === 1;
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: stateKey(runner),
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, #batch = :batch, nextSeq = :next, #entity = :entity',
        ConditionExpression: `(attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner) AND ${first ? 'attribute_not_exists(nextSeq)' : 'nextSeq = :seq'}`,
        ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#batch': 'batch' },
        ExpressionAttributeValues: {
          ':owner': manifest.owner,
          ':until': now + leaseMs,
          ':now': now,
          ':batch': manifest,
          ':next': manifest.seq + 1,
          ':entity': aggregation.state.entity,
          ...(first ? {} : { ':seq': manifest.seq }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * The repair's hold on every runner: a lease no batch can take until it is released.
 * Undefined (and nothing held) when some runner's lease is live.
 */
export async function holdAllRunners(owner: string, now: number, holdMs: number): Promise<AggregationState[] | undefined> {
  const held: number[] = [];
  const states: AggregationState[] = [];
  for (let runner = 0; runner < aggregationRunners(); runner++) {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: table(),
          Key: stateKey(runner),
          // The lease only: a runner's first batch opens on a state without a sequence.
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, #entity = :entity',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
          ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: { ':owner': owner, ':until': now + holdMs, ':now': now, ':entity': aggregation.state.entity },
          ReturnValues: 'ALL_NEW',
        }),
      );
      held.push(runner);
      states.push({ nextSeq: (Attributes!.nextSeq as number | undefined) ?? 1, ...(Attributes!.batch ? { batch: Attributes!.batch as Manifest } : {}) });
    } catch (error) {
      await releaseRunners(owner, held);
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
  return states;
}

export async function releaseRunners(owner: string, runners: readonly number[] = Array.from({ length: aggregationRunners() }, (_, i) => i)): Promise<void> {
  for (const runner of runners) {
    await db
      .send(
        new UpdateCommand({
          TableName: table(),
          Key: stateKey(runner),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      )
      .catch((error) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}

/**
 * Keys of records whose effect on the aggregates is not yet applied: up to `limit`, from
 * the shards of `runner` of `runners` (all shards when undefined), oldest first within a shard, marked
 * before `before` (ISO time; a mark younger than that is not due yet), with the oldest
 * mark's time. An idle poll is these reads and nothing else.
 */
export async function pendingBacklog(
  limit: number,
  options: { runner?: number; runners?: number; before?: string } = {},
): Promise<{ keys: RecordKey[]; oldestSince: string | undefined }> {
  const { on } = aggregation.pending;
  const shards =
    options.runner === undefined
      ? Array.from({ length: pendingShards() }, (_, i) => i)
      : shardsOfRunner(options.runner, options.runners ?? aggregationRunners());
  // Twice the even share: shards are rarely even, and keys-only reads are cheap.
  const perShard = Math.min(limit, Math.ceil((2 * limit) / shards.length));
  const found = await Promise.all(
    shards.map(async (i) => {
      const { Items } = await db.send(
        new QueryCommand({
          TableName: table(),
          IndexName: on.name,
          KeyConditionExpression: options.before ? '#shard = :shard AND #since < :before' : '#shard = :shard',
          ExpressionAttributeNames: { '#shard': on.partitionKey, '#since': on.sortKey, '#pk': primary.partitionKey, '#sk': primary.sortKey },
          ExpressionAttributeValues: { ':shard': aggregation.pending.shardAt(i), ...(options.before ? { ':before': options.before } : {}) },
          ProjectionExpression: '#pk, #sk, #since',
          Limit: perShard,
        }),
      );
      return (Items ?? []) as (RecordKey & Record<string, string>)[];
    }),
  );
  const all = found.flat();
  const oldestSince = all.map((item) => item[on.sortKey]!).sort()[0];
  return { keys: all.slice(0, limit).map(({ pk, sk }) => ({ pk, sk })), oldestSince: oldestSince?.slice(0, 24) };
}

export async function pendingRecordKeys(limit: number): Promise<RecordKey[]> {
  return (await pendingBacklog(limit)).keys;
}

export const readRecords = (keys: RecordKey[]) => batchGet<Record<string, unknown>>(keys, { consistent: true });

/** The pending marks (index sort keys) of the newest records of a partition (a learner's records of one entity). */
export async function marksIn(where: Partition): Promise<string[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: where.sortKeyPrefix !== undefined ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      FilterExpression: 'attribute_exists(#since)',
      ExpressionAttributeNames: { '#pk': where.on.partitionKey, '#sk': where.on.sortKey, '#since': aggregation.pending.on.sortKey },
      ExpressionAttributeValues: { ':pk': where.value, ...(where.sortKeyPrefix !== undefined ? { ':prefix': where.sortKeyPrefix } : {}) },
      ProjectionExpression: '#since',
      ScanIndexForward: false,
      Limit: 100,
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => item[aggregation.pending.on.sortKey] as string);
}

/** The pending mark a record read for the aggregation carries (its index sort key), if any. */
export const pendingSinceOf = (record: Record<string, unknown>) => record[aggregation.pending.on.sortKey] as string | undefined;

/**
 * Adds one chunk of a runner's batch to an aggregate part, once: the chunk's marker
 * records the runner's last batch applied through it, and a runner applies its batches
 * strictly in sequence.
 */
export async function applyChunk(runner: number, chunk: Chunk, seq: number): Promise<boolean> {
  const names: Record<string, string> = { '#marker': markerName(runner, chunk.index), '#entity': ENTITY_ATTRIBUTE };
  const values: Record<string, number | string> = { ':seq': seq, ':entity': aggregation.aggregate.entity };
  const adds = Object.entries(chunk.cells).map(([cell, delta], i) => {
    names[`#c${i}`] = cell;
    values[`:c${i}`] = delta;
    return `#c${i} :c${i}`;
  });
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: partKey(chunk.aggregate, chunk.part),
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
        // The mark read, and no other: a mark written since (a late write marking itself)
        // stays, and its learner is taken again.
        ConditionExpression: `#version = :version AND ${notPastVersion} AND ${entry.mark ? '#pendingSince = :mark' : 'attribute_not_exists(#pendingSince)'}`,
        ExpressionAttributeNames: {
          '#version': 'version',
          '#pendingShard': aggregation.pending.on.partitionKey,
          '#pendingSince': aggregation.pending.on.sortKey,
        },
        ExpressionAttributeValues: { ...values, ...(entry.mark ? { ':mark': entry.mark } : {}) },
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

/**
 * Repair: marks a source record pending again whose current version is not counted while
 * nothing marks it (left by a fault); the aggregation then counts it. Its owner picks the
 * shard, as when it was written: the learner, or for a proposal its id.
 */
export async function markUncountedPending(record: Record<string, unknown>, now: string): Promise<void> {
  const owner = (sourceEntityOf(record) === 'proposal' ? record.proposalId : record.learnerId) as string;
  const key = recordKeyOf(record);
  const pending = pendingMarkUpdate(now, `${key.pk}#${key.sk}`, owner);
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: key,
        UpdateExpression: `SET ${pending.set.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(countedVersion) OR countedVersion < #version)',
        ExpressionAttributeNames: { ...pending.names, '#version': 'version' },
        ExpressionAttributeValues: pending.values,
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/** Which entries of a batch are not yet stamped with their version (the batch did not finish). */
export async function unstampedEntries(entries: readonly ManifestEntry[]): Promise<ManifestEntry[]> {
  const stamped = new Map<string, number>();
  for (const item of await batchGet<Record<string, unknown>>(
    entries.map((e) => e.key),
    { consistent: true },
  )) {
    stamped.set(`${item.pk}\u0000${item.sk}`, (item.countedVersion as number | undefined) ?? 0);
  }
  // A record that is gone has nothing left to stamp.
  return entries.filter((e) => {
    const counted = stamped.get(`${e.key.pk}\u0000${e.key.sk}`);
    return counted !== undefined && counted < e.version;
  });
}

type Parts = Map<string, Map<string, Record<string, number>>>;

/** Every part of these aggregates, cell by cell (what the recount compares and the repair rewrites). */
export async function readAggregateParts(ids: readonly string[], options: { consistent?: boolean } = {}): Promise<Parts> {
  const result: Parts = new Map();
  await Promise.all(
    ids.map(async (id) => {
      const items = await queryAll<Record<string, unknown>>({ partition: aggregation.aggregate.parts(id), consistent: options.consistent ?? false });
      const parts = new Map<string, Record<string, number>>();
      for (const item of items) {
        const cells: Record<string, number> = {};
        for (const [name, value] of Object.entries(item)) if (isCell(name) && value !== 0) cells[name] = value as number;
        parts.set(aggregation.aggregate.partOf(item), cells);
      }
      if (items.length) result.set(id, parts);
    }),
  );
  return result;
}

/** The aggregates, each the sum of its parts: one query per aggregate, billed on the bytes of its parts together. */
export async function readAggregates(ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const result = new Map<string, Record<string, number>>();
  for (const [id, parts] of await readAggregateParts(ids)) {
    const cells: Record<string, number> = {};
    for (const part of parts.values()) for (const [cell, n] of Object.entries(part)) cells[cell] = (cells[cell] ?? 0) + n;
    for (const [cell, n] of Object.entries(cells)) if (n === 0) delete cells[cell];
    result.set(id, cells);
  }
  return result;
}

/** Every aggregate id (a few per fiscal year and rule): for the recount only. */
export async function scanAggregateIds(): Promise<string[]> {
  const ids = new Set<string>();
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
    for (const item of page.Items ?? []) ids.add(aggregation.aggregate.idOf(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return [...ids];
}

/**
 * Writes an aggregate part whole: its cells, and the markers given (repair keeps the ones
 * it found; benchmarks that synthesize aggregates write none). Returns the item written.
 */
export async function putAggregatePart(
  id: string,
  part: string,
  cells: Record<string, number>,
  markers: Record<string, number> = {},
): Promise<Record<string, unknown>> {
  const item = itemOf(aggregation.aggregate.entity, [partKey(id, part)], {
    ...markers,
    ...cells,
  });
  await db.send(new PutCommand({ TableName: table(), Item: item }));
  return item;
}

/** Repair: replaces an aggregate's parts with recounted cells, keeping every chunk marker. */
export async function overwriteAggregate(id: string, parts: Map<string, Record<string, number>>): Promise<void> {
  const existing = await queryAll<Record<string, unknown>>({ partition: aggregation.aggregate.parts(id), consistent: true });
  const markersOf = new Map(
    existing.map((item) => [aggregation.aggregate.partOf(item), Object.fromEntries(Object.entries(item).filter(([name]) => name.startsWith(MARKER)))]),
  );
  for (const part of new Set([...parts.keys(), ...markersOf.keys()])) {
    await putAggregatePart(id, part, parts.get(part) ?? {}, (markersOf.get(part) ?? {}) as Record<string, number>);
  }
}

/** Deletes every part of an aggregate (benchmarks that start again from empty aggregates). */
export async function deleteAggregate(id: string): Promise<void> {
  const existing = await queryAll<Record<string, unknown>>({ partition: aggregation.aggregate.parts(id), consistent: true });
  for (const item of existing) await db.send(new DeleteCommand({ TableName: table(), Key: tableKeyOf(item) }));
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
