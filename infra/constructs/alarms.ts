import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  type MetricProps,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { mainTable } from '../../shared/data/table';
import { aggregationMetrics, metricsNamespace } from '../../shared/metrics';

export interface OperationalAlarmsProps {
  api: HttpApi;
  /** The stage's access log group: JSON lines with `status` and `apiId`. */
  apiAccessLogs: ILogGroup;
  table: ITableV2;
  functions: IFunction[];
  /** The scheduled aggregation, which reports its custom metrics (shared/metrics.ts). */
  aggregation: IFunction;
  nationalRound: IStateMachine;
  alarmEmail?: string;
}

/** The DynamoDB operations kanryu calls: ThrottledRequests exists only per operation. */
export const throttledOperations = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem'] as const;

const FUNCTIONS_PER_ALARM = 5;

/** Status 429 in the access log: HTTP API's own 4xx metric counts every 4xx, 401 to 422 included. */
export const api429Metric = { name: 'ApiThrottled', dimension: 'ApiId' } as const;

/**
 * What an operator is paged for, and a dashboard of the same figures: the API (5xx rate,
 * 429s), DynamoDB throttling by operation and by index, the aggregation falling behind
 * (oldest pending record, passes stopped), national rounds failing, and any Lambda error.
 * Subscribe to the topic (stack output AlarmTopicArn), or set `alarmEmail` in context.
 */
export class OperationalAlarms extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true, masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns') });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const notify = new SnsAction(this.topic);
    const period = Duration.minutes(5);
    const alarm = (name: string, options: Omit<AlarmProps, 'evaluationPeriods' | 'comparisonOperator'> & Partial<AlarmProps>) =>
      new Alarm(this, name, {
        treatMissingData: TreatMissingData.NOT_BREACHING,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...options,
      }).addAlarmAction(notify);

    const apiMetric = (metricName: string, statistic = 'Sum') =>
      new Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: props.api.apiId, Stage: '$default' }, statistic, period });
    const dynamo = (metricName: string, dimensions: Record<string, string> = {}, options: Partial<MetricProps> = {}) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName, ...dimensions },
        statistic: 'Sum',
        period,
        ...options,
      });
    const custom = (metric: { name: string }, statistic: string, dimensionsMap: Record<string, string>, metricPeriod = period) =>
      new Metric({ namespace: metricsNamespace, metricName: metric.name, dimensionsMap, statistic, period: metricPeriod });
    const sumOf = (metrics: Record<string, IMetric>, label?: string) =>
      new MathExpression({
        expression: Object.keys(metrics)
          .map((k) => `FILL(${k}, 0)`)
          .join(' + '),
        usingMetrics: metrics,
        period,
        ...(label ? { label } : {}),
      });

    // --- API ---
    alarm('Api5xxRate', {
      alarmDescription: 'More than 1% of API requests answered 5xx over 5 minutes',
      metric: new MathExpression({
        expression: 'IF(requests > 20, 100 * errors / requests, 0)',
        usingMetrics: { errors: apiMetric('5xx'), requests: apiMetric('Count') },
        period,
      }),
      threshold: 1,
    });
    new MetricFilter(this, 'Api429Filter', {
      logGroup: props.apiAccessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: metricsNamespace,
      metricName: api429Metric.name,
      metricValue: '1',
      dimensions: { [api429Metric.dimension]: '$.apiId' },
    });
    const throttled429 = custom(api429Metric, 'Sum', { [api429Metric.dimension]: props.api.apiId });
    alarm('Api429', {
      alarmDescription: 'The API answered more than 50 requests 429 in 5 minutes (stage rate or burst limit reached)',
      metric: throttled429,
      threshold: 50,
    });

    // --- DynamoDB: every throttle is a partition or the account limit reached ---
    const throttlesByOperation = Object.fromEntries(throttledOperations.map((op) => [op, dynamo('ThrottledRequests', { Operation: op })]));
    for (const [op, metric] of Object.entries(throttlesByOperation)) {
      alarm(`DynamoThrottled${op}`, { alarmDescription: `DynamoDB throttled ${op} requests on the table`, metric, threshold: 0 });
    }
    // A batch counts in ThrottledRequests only when every item of it was throttled; throttle events count each one.
    const tableThrottleEvents = sumOf({ tableReads: dynamo('ReadThrottleEvents'), tableWrites: dynamo('WriteThrottleEvents') }, 'table');
    alarm('DynamoTableThrottleEvents', { alarmDescription: 'DynamoDB throttled reads or writes on the table', metric: tableThrottleEvents, threshold: 0 });
    const indexThrottles = mainTable.indexes.map((index) => {
      const dims = { GlobalSecondaryIndexName: index.name };
      // Ids unique across the dashboard graph that shows them together.
      const metric = sumOf(
        { [`reads_${index.name}`]: dynamo('ReadThrottleEvents', dims), [`writes_${index.name}`]: dynamo('WriteThrottleEvents', dims) },
        index.name,
      );
      alarm(`DynamoThrottleEvents-${index.name}`, {
        alarmDescription: `DynamoDB throttled reads or writes on index ${index.name} (a write throttled on an index throttles the table write)`,
        metric,
        threshold: 0,
      });
      return metric;
    });

    // --- The aggregation (custom metrics, shared/metrics.ts) ---
    const byAggregation = { FunctionName: props.aggregation.functionName };
    const minute = Duration.minutes(1);
    const pendingAge = custom(aggregationMetrics.oldestPendingAge, 'Maximum', byAggregation, minute);
    alarm('AggregationPendingAge', {
      alarmDescription: 'A completion or qualification has waited more than 10 minutes to reach the progress figures (3 minutes running)',
      metric: pendingAge,
      threshold: 600,
      evaluationPeriods: 3,
    });
    const passes = custom(aggregationMetrics.passes, 'Sum', byAggregation);
    alarm('AggregationLag', {
      alarmDescription: 'No aggregation pass completed for 10 minutes: the progress figures are falling behind (job failing or not scheduled)',
      metric: passes,
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });

    // --- The national round ---
    const roundFailures = sumOf(
      { failed: props.nationalRound.metricFailed({ period }), timedOut: props.nationalRound.metricTimedOut({ period }) },
      'executions failed or timed out',
    );
    alarm('NationalRoundFailed', { alarmDescription: 'A national round execution failed or timed out', metric: roundFailures, threshold: 0 });

    // --- Every function ---
    // An alarm's metric math takes at most 10 metrics: five functions' errors and throttles
    // each. One alarm per function would spend a tenth of the stack's 500 resources.
    for (let start = 0, group = 0; start < props.functions.length; start += FUNCTIONS_PER_ALARM, group++) {
      const members = props.functions.slice(start, start + FUNCTIONS_PER_ALARM);
      const usingMetrics: Record<string, IMetric> = {};
      members.forEach((fn, i) => {
        usingMetrics[`errors${i}`] = fn.metricErrors({ period });
        usingMetrics[`throttles${i}`] = fn.metricThrottles({ period });
      });
      alarm(`FunctionErrors${group}`, {
        alarmDescription: `Errors or throttles in ${members.map((fn) => fn.node.path).join(', ')}`,
        // FILL: a function with no invocations in the period reports nothing, not zero.
        metric: new MathExpression({ expression: 'SUM(FILL(METRICS(), 0))', usingMetrics, period }),
        threshold: 0,
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${Stack.of(this).stackName}-operations`, defaultInterval: Duration.hours(6) });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) => new GraphWidget({ title, left, right, width: 8, height: 6 });
    this.dashboard.addWidgets(
      graph('API requests and 5xx', [apiMetric('Count')], [apiMetric('5xx')]),
      graph('API 429 (throttled)', [throttled429]),
      graph('API latency (ms)', [apiMetric('Latency', 'p50'), apiMetric('Latency', 'p95'), apiMetric('Latency', 'p99')]),
    );
    this.dashboard.addWidgets(
      graph(
        'DynamoDB consumed capacity',
        [dynamo('ConsumedReadCapacityUnits', {}, { label: 'table RCU' }), dynamo('ConsumedWriteCapacityUnits', {}, { label: 'table WCU' })],
        mainTable.indexes.map((index) => dynamo('ConsumedWriteCapacityUnits', { GlobalSecondaryIndexName: index.name }, { label: `${index.name} WCU` })),
      ),
      graph('DynamoDB throttled requests by operation', Object.values(throttlesByOperation)),
      graph('DynamoDB throttle events (table, indexes)', [tableThrottleEvents, ...indexThrottles]),
    );
    this.dashboard.addWidgets(
      graph('Oldest pending record (s)', [pendingAge]),
      graph('Aggregation passes and records', [passes], [custom(aggregationMetrics.records, 'Sum', byAggregation)]),
      graph('National rounds', [props.nationalRound.metricSucceeded({ period })], [roundFailures]),
    );
  }
}
