import { describe, expect, it } from 'vitest';
import { aggregationMetrics, emfLine } from '../../shared/metrics';

describe('embedded metric format', () => {
  it('names each metric under the kanryu namespace with its dimension, values at the top level', () => {
    const line = emfLine(
      [
        { ...aggregationMetrics.oldestPendingAge, value: 42 },
        { ...aggregationMetrics.passes, value: 1 },
      ],
      { FunctionName: 'Kanryu-dev-aggregate' },
      1_767_225_600_000,
    );
    expect(line).not.toContain('\n');
    const doc = JSON.parse(line);
    expect(doc._aws).toEqual({
      Timestamp: 1_767_225_600_000,
      CloudWatchMetrics: [
        {
          Namespace: 'Kanryu',
          Dimensions: [['FunctionName']],
          Metrics: [
            { Name: 'OldestPendingAgeSeconds', Unit: 'Seconds' },
            { Name: 'AggregationPasses', Unit: 'Count' },
          ],
        },
      ],
    });
    expect(doc).toMatchObject({ FunctionName: 'Kanryu-dev-aggregate', OldestPendingAgeSeconds: 42, AggregationPasses: 1 });
  });
});
