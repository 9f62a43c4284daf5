import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { db, table } from '../../shared/data/client';
import { type Completion, createCompletion } from '../../shared/data/completions';
import { mainTable } from '../../shared/data/table';
import { runAggregation } from '../../shared/progress/aggregator';
import { recount, repair } from '../../shared/progress/recount';

const completion = (learnerId: string, completedOn: string): Completion => ({
  completionId: `${completedOn}.crs_repair`,
  learnerId,
  courseId: 'crs_repair',
  providerId: 'prov-repair',
  completedOn,
  fiscalYear: 2025,
  prefecture: '13',
  status: 'verified',
  reportedBy: 'provider',
  recordedAt: new Date().toISOString(),
  verifiedAt: new Date().toISOString(),
  version: 1,
});

describe('repair', () => {
  it('leaves every runner able to open its first batch after it', async () => {
    // On a store where no runner has run yet (as after a deploy, or with a runner added).
    expect(await repair()).toEqual({ repaired: 0, differences: [] });
    await createCompletion(completion('repair-first', '2025-06-01'));
    expect((await runAggregation()).records).toBe(1);
    expect((await recount()).differences).toEqual([]);
  });

  it('counts once a record that a fault left uncounted with no pending mark', async () => {
    await createCompletion(completion('repair-orphan', '2025-07-01'));
    // The fault: the record loses its mark before anything counts it.
    const { partitionKey, sortKey } = mainTable.indexes.find((i) => i.name === 'pending')!;
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: 'LEARNER#repair-orphan', sk: 'COMPLETION#2025-07-01#crs_repair' },
        UpdateExpression: 'REMOVE #shard, #since',
        ExpressionAttributeNames: { '#shard': partitionKey, '#since': sortKey },
      }),
    );
    expect((await runAggregation()).records).toBe(0);
    const missing = await recount();
    expect(missing.differences.length).toBeGreaterThan(0);
    expect(missing.differences.every((d) => d.recounted === d.running + 1)).toBe(true);

    await repair();
    expect((await runAggregation()).records).toBe(1);
    expect((await recount()).differences).toEqual([]);
    // Once, not twice: another pass and another repair change nothing.
    expect((await runAggregation()).records).toBe(0);
    expect(await repair()).toEqual({ repaired: 0, differences: [] });
  });
});
