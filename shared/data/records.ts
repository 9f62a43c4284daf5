import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { serviceBusy } from '../errors';
import { db, table } from './client';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** 25 writes per request, retrying what DynamoDB leaves unprocessed. */
async function batchWrite(all: readonly WriteRequest[]): Promise<void> {
  for (let start = 0; start < all.length; start += 25) {
    let requests = all.slice(start, start + 25);
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table()]: requests } }));
      requests = (result.UnprocessedItems?.[table()] ?? []) as typeof requests;
      if (attempt > 8 && requests.length) throw serviceBusy('The database left part of a batch write unprocessed (throttled); retry the same request.');
    }
  }
}

/** Unconditional puts. */
export const batchPut = (items: readonly Record<string, unknown>[]) => batchWrite(items.map((Item) => ({ PutRequest: { Item } })));

/** Unconditional deletes. */
export const batchDelete = (keys: readonly Record<string, unknown>[]) => batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
