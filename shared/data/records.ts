import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { serviceBusy } from '../errors';
import { db, table } from './client';

/** Unconditional puts, 25 per request, retrying what DynamoDB leaves unprocessed. */
export async function batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table()]: requests } }));
      requests = (result.UnprocessedItems?.[table()] ?? []) as typeof requests;
      if (attempt > 8 && requests.length) throw serviceBusy('The database left part of a batch write unprocessed (throttled); retry the same request.');
    }
  }
}
