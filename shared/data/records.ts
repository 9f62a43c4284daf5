import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { mainTable } from './table';

/**
 * Attributes the table keeps for its own bookkeeping (keys, index keys, the aggregation's
 * pending mark and counted contribution): never part of what an entity returns.
 */
const BOOKKEEPING = new Set<string>([
  mainTable.partitionKey,
  mainTable.sortKey,
  ...mainTable.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  'countedVersion',
  'counted',
]);

export function recordOf<T>(item: Record<string, unknown>, alsoDrop: readonly string[] = []): T {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.has(name) && !alsoDrop.includes(name))) as T;
}

/** Unconditional puts, 25 per request, retrying what DynamoDB leaves unprocessed. */
export async function batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (attempt > 8 && requests.length) throw Object.assign(new Error('BatchWrite left items unprocessed'), { name: 'ThrottlingException' });
    }
  }
}
