import { BatchGetCommand, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '../concurrency';
import { serviceBusy } from '../errors';
import { db, table } from './client';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import { type AccessPath, type Partition, primary } from './entity';

export interface Page<T> {
  items: T[];
  cursor: string | undefined;
}

// A page's cursor holds the table key, and on an index the index key too.
const keyNamesOf = (on: AccessPath): string[] =>
  on.name ? [primary.partitionKey, primary.sortKey, on.partitionKey, on.sortKey] : [primary.partitionKey, primary.sortKey];

/**
 * A list's visibility rule, applied inside the walk: each entity becomes what the caller
 * sees of it, or undefined when the caller may not see it at all.
 */
export type Select<E, T> = (entities: E[]) => Promise<(T | undefined)[]> | (T | undefined)[];

export interface PageRequest<E, T = E> {
  cursor: string | undefined;
  limit: number;
  select?: Select<E, T>;
}

// A filtered walk stops after this many items read even when the page is not full: its
// cursor (sealed at the edge) then points at the last item read.
const MAX_ITEMS_READ = 2000;

/**
 * One page of a partition, oldest sort key first. A page is filled from visible items
 * only, walking on past hidden ones, and its cursor names the last item returned, so no
 * page tells where hidden items are. One item past the page is read to know whether
 * another page exists: the last page carries no cursor. A cursor must belong to this
 * partition before DynamoDB sees it.
 */
export async function queryPage<E = Record<string, unknown>, T = E>(
  options: {
    /** The partition read (entity modules name theirs: e.g. a learner's completions, gsi1's courses of a provider). */
    partition: Partition;
    consistent?: boolean;
    /** Turns a stored item into the entity (default: the item itself). */
    entity?: (item: Record<string, unknown>) => E;
  } & PageRequest<E, T>,
): Promise<Page<T>> {
  const { limit } = options;
  const { on, value: partitionValue, sortKeyPrefix } = options.partition;
  const { name: index, partitionKey, sortKey: sortKeyName } = on;
  const keyNames = keyNamesOf(on);
  let startKey = decodeCursor(options.cursor, { [partitionKey]: partitionValue }, keyNames);
  if (startKey && sortKeyPrefix && !startKey[sortKeyName]?.startsWith(sortKeyPrefix)) throw badCursor();
  const shown: { item: T; key: Record<string, unknown> }[] = [];
  let read = 0;
  let lastRead: Record<string, unknown> | undefined;
  for (;;) {
    const input: QueryCommandInput = {
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: sortKeyPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: sortKeyPrefix ? { '#pk': partitionKey, '#sk': sortKeyName } : { '#pk': partitionKey },
      ExpressionAttributeValues: sortKeyPrefix ? { ':pk': partitionValue, ':prefix': sortKeyPrefix } : { ':pk': partitionValue },
      ExclusiveStartKey: startKey,
      // A filtered walk reads ahead: fewer round trips when many items are hidden.
      Limit: options.select ? Math.max(limit + 1 - shown.length, 50) : limit + 1 - shown.length,
      ConsistentRead: index ? undefined : options.consistent,
    };
    let result: QueryCommandOutput;
    try {
      result = await db.send(new QueryCommand(input));
    } catch (error) {
      // DynamoDB refuses a start key outside the key condition: that can only be a crafted cursor.
      if (startKey && error instanceof Error && error.name === 'ValidationException') throw badCursor();
      throw error;
    }
    const items = result.Items ?? [];
    const entities = items.map((item) => (options.entity ? options.entity(item) : (item as E)));
    const visible = options.select ? await options.select(entities) : (entities as unknown as T[]);
    visible.forEach((item, i) => {
      if (item !== undefined) shown.push({ item, key: pick(items[i]!, keyNames) });
    });
    read += items.length;
    lastRead = items.length > 0 ? pick(items[items.length - 1]!, keyNames) : lastRead;
    if (shown.length > limit) {
      return { items: shown.slice(0, limit).map((s) => s.item), cursor: encodeCursor(shown[limit - 1]!.key) };
    }
    if (!result.LastEvaluatedKey) return { items: shown.map((s) => s.item), cursor: undefined };
    if (read >= MAX_ITEMS_READ) return { items: shown.map((s) => s.item), cursor: encodeCursor(lastRead) };
    startKey = result.LastEvaluatedKey as Record<string, string>;
  }
}

/**
 * A page of a partition of pointer items (each naming an entity by id): the entities of
 * each read are fetched in one batch, then selected for the caller like any page.
 */
export async function queryPointers<E, T = E>(
  pointers: Partition,
  pointer: { idAttribute: string; fetch: (ids: string[]) => Promise<Map<string, E>> },
  request: PageRequest<E, T>,
): Promise<Page<T>> {
  return queryPage({
    partition: pointers,
    cursor: request.cursor,
    limit: request.limit,
    entity: (item) => item[pointer.idAttribute] as string,
    select: async (ids: string[]) => {
      const found = await pointer.fetch(ids);
      const present = ids.filter((id) => found.has(id));
      const entities = present.map((id) => found.get(id)!);
      const selected = request.select ? await request.select(entities) : (entities as unknown as T[]);
      const byId = new Map(present.map((id, i) => [id, selected[i]]));
      return ids.map((id) => byId.get(id));
    },
  });
}

const pick = (item: Record<string, unknown>, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, item[name]]));

/** Every item of a partition (bounded partitions only: one learner's records, one job's input). */
export async function queryAll<T>(options: Omit<Parameters<typeof queryPage>[0], 'cursor' | 'limit' | 'entity' | 'select'>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<T>({ ...options, cursor, limit: 1000 });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

// Batches of one batchGet in flight at once: a few thousand keys cost a few round trips, not dozens.
const BATCHES_IN_FLIGHT = 8;

/** GetItem for many keys, 100 per request (up to 8 requests in flight), retrying what DynamoDB leaves unprocessed. */
export async function batchGet<T>(keys: Record<string, string>[], options: { consistent?: boolean } = {}): Promise<T[]> {
  // Found items kept per batch and joined in batch order: the same keys give the same order as before.
  const foundPerBatch: T[][] = [];
  const starts = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) => i * 100);
  await forEachConcurrently(starts, BATCHES_IN_FLIGHT, async (start) => {
    const found: T[] = [];
    foundPerBatch[start / 100] = found;
    let request: Record<string, string>[] | undefined = keys.slice(start, start + 100);
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await db.send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: request, ConsistentRead: options.consistent } } }));
      found.push(...((result.Responses?.[table()] ?? []) as T[]));
      request = result.UnprocessedKeys?.[table()]?.Keys as Record<string, string>[] | undefined;
      if (attempt > 8 && request?.length) throw serviceBusy('The database left part of a batch read unprocessed (throttled); retry the same request.');
    }
  });
  return foundPerBatch.flat();
}
