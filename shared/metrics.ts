/**
 * Custom CloudWatch metrics as Embedded Metric Format log lines: CloudWatch Logs extracts
 * the metrics from the function's log, so publishing needs no API call, no permission and
 * no dependency. Names are declared here once; the alarms and dashboard (infra/) read them.
 */
export const metricsNamespace = 'Kanryu';

export type MetricUnit = 'Count' | 'Seconds' | 'Milliseconds' | 'None';

/** What the aggregation job reports after each pass it ran (dimension: FunctionName). */
export const aggregationMetrics = {
  /** Age of the oldest record still waiting to reach the progress figures, after the pass. */
  oldestPendingAge: { name: 'OldestPendingAgeSeconds', unit: 'Seconds' },
  /** Records the pass applied. */
  records: { name: 'RecordsAggregated', unit: 'Count' },
  /** 1 per pass that held the lease: its absence is the aggregation falling behind altogether. */
  passes: { name: 'AggregationPasses', unit: 'Count' },
} as const satisfies Record<string, { name: string; unit: MetricUnit }>;

/**
 * One EMF document: the `_aws` member names the metrics, the top-level members carry their
 * values and the dimensions. `level` and `message` make it read like the other log lines.
 */
export function emfLine(values: { name: string; unit: MetricUnit; value: number }[], dimensions: Record<string, string>, now = Date.now()): string {
  return JSON.stringify({
    level: 'INFO',
    message: 'metrics',
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: values.map(({ name, unit }) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(values.map(({ name, value }) => [name, value])),
  });
}

/**
 * Written to stdout directly: Lambda's JSON log format wraps what console.* prints in a
 * record of its own, where CloudWatch would no longer find the `_aws` member.
 */
export function putMetrics(values: { name: string; unit: MetricUnit; value: number }[], dimensions: Record<string, string>): void {
  process.stdout.write(`${emfLine(values, dimensions)}\n`);
}

/** The aggregation pass's figures, dimensioned by the function that ran it (one per stack). */
export function putAggregationMetrics(result: { records: number; oldestPendingAgeSeconds?: number }): void {
  const m = aggregationMetrics;
  putMetrics(
    [
      { ...m.oldestPendingAge, value: result.oldestPendingAgeSeconds ?? 0 },
      { ...m.records, value: result.records },
      { ...m.passes, value: 1 },
    ],
    { FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' },
  );
}
