import { BatchGetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import { mainTable, type IndexName } from './table';

export interface Page<T> {
  items: T[];
  cursor: string | undefined;
}

const keyNamesOf = (index: IndexName | undefined): string[] => {
  const base = [mainTable.partitionKey, mainTable.sortKey];
  if (!index) return base;
  const definition = mainTable.indexes.find((i) => i.name === index)!;
  return [...base, definition.partitionKey, definition.sortKey];
};

/**
 * One page of a partition, oldest sort key first, with an opaque cursor for the next. The
 * cursor is checked to belong to this partition before DynamoDB sees it.
 */
export async function queryPage<T>(options: {
  index?: IndexName;
  partitionKey: string;
  partitionValue: string;
  sortKeyPrefix?: string;
  cursor: string | undefined;
  limit: number;
  consistent?: boolean;
}): Promise<Page<T>> {
  const { index, partitionKey, partitionValue, sortKeyPrefix } = options;
  const sortKeyName = index ? mainTable.indexes.find((i) => i.name === index)!.sortKey : mainTable.sortKey;
  const input: QueryCommandInput = {
    TableName: table,
    IndexName: index,
    KeyConditionExpression: sortKeyPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
    ExpressionAttributeNames: sortKeyPrefix ? { '#pk': partitionKey, '#sk': sortKeyName } : { '#pk': partitionKey },
    ExpressionAttributeValues: sortKeyPrefix ? { ':pk': partitionValue, ':prefix': sortKeyPrefix } : { ':pk': partitionValue },
    ExclusiveStartKey: decodeCursor(options.cursor, { [partitionKey]: partitionValue }, keyNamesOf(index)),
    Limit: options.limit,
    ConsistentRead: index ? undefined : options.consistent,
  };
  const startKey = input.ExclusiveStartKey as Record<string, string> | undefined;
  if (startKey && sortKeyPrefix && !startKey[sortKeyName]?.startsWith(sortKeyPrefix)) throw badCursor();
  try {
    const result = await db.send(new QueryCommand(input));
    return { items: (result.Items ?? []) as T[], cursor: encodeCursor(result.LastEvaluatedKey) };
  } catch (error) {
    // DynamoDB refuses a start key outside the key condition: that can only be a crafted cursor.
    if (startKey && error instanceof Error && error.name === 'ValidationException') throw badCursor();
    throw error;
  }
}

/** Every item of a partition (bounded partitions only: one learner's records, one job's input). */
export async function queryAll<T>(options: Omit<Parameters<typeof queryPage>[0], 'cursor' | 'limit'>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<T>({ ...options, cursor, limit: 1000 });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** GetItem for many keys, 100 per request, retrying what DynamoDB leaves unprocessed. */
export async function batchGet<T>(keys: Record<string, string>[], options: { consistent?: boolean } = {}): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let request: Record<string, string>[] | undefined = keys.slice(start, start + 100);
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: options.consistent } } }));
      found.push(...((result.Responses?.[table] ?? []) as T[]));
      request = result.UnprocessedKeys?.[table]?.Keys as Record<string, string>[] | undefined;
      if (attempt > 8 && request?.length) throw Object.assign(new Error('BatchGet left keys unprocessed'), { name: 'ThrottlingException' });
    }
  }
  return found;
}
