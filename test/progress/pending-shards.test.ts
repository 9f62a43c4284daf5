import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { db, table } from '../../shared/data/client';
import { pendingShards } from '../../shared/data/aggregation';
import { createCompletion } from '../../shared/data/completions';
import { mainTable } from '../../shared/data/table';
import { runAggregation } from '../../shared/progress/aggregator';

/** No partition of the pending index takes a write from every learner (issue 17, item 1). */
describe('the pending index', () => {
  it('spreads the records of many learners over every shard, keeps a learner in one, and is drained from all of them', async () => {
    const learners = Array.from({ length: 160 }, (_, i) => `shard-learner-${i}`);
    for (const learnerId of learners) {
      for (const completedOn of ['2025-05-01', '2025-06-01']) {
        await createCompletion({
          completionId: `${completedOn}.crs_shard`,
          learnerId,
          courseId: 'crs_shard',
          providerId: 'prov-shard',
          completedOn,
          fiscalYear: 2025,
          prefecture: '13',
          status: 'verified',
          reportedBy: 'provider',
          recordedAt: '2026-12-01T00:00:00.000Z',
          verifiedAt: '2026-12-01T00:00:00.000Z',
          version: 1,
        });
      }
    }
    const { partitionKey } = mainTable.indexes.find((i) => i.name === 'pending')!;
    const { Items } = await db.send(
      new ScanCommand({ TableName: table(), FilterExpression: 'attribute_exists(#shard)', ExpressionAttributeNames: { '#shard': partitionKey } }),
    );
    const byShard = new Map<string, number>();
    const shardsOfLearner = new Map<string, Set<string>>();
    for (const item of Items ?? []) {
      byShard.set(item[partitionKey], (byShard.get(item[partitionKey]) ?? 0) + 1);
      shardsOfLearner.set(item.learnerId, (shardsOfLearner.get(item.learnerId) ?? new Set()).add(item[partitionKey]));
    }
    expect(pendingShards()).toBe(16);
    expect(byShard.size).toBe(pendingShards());
    const mean = (learners.length * 2) / pendingShards();
    expect(Math.max(...byShard.values())).toBeLessThanOrEqual(2 * mean);
    expect([...shardsOfLearner.values()].every((shards) => shards.size === 1)).toBe(true);

    const result = await runAggregation();
    expect(result.records).toBe(learners.length * 2);
    expect(result.oldestPendingAgeSeconds).toBe(0);
    const left = await db.send(
      new ScanCommand({ TableName: table(), FilterExpression: 'attribute_exists(#shard)', ExpressionAttributeNames: { '#shard': partitionKey } }),
    );
    expect(left.Items).toEqual([]);
  });
});
