import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * What an operator is paged for: the API answering 5xx to more than 1% of requests,
 * throttling (at the API, in Lambda, in DynamoDB), and any Lambda error. Subscribe to the
 * topic (stack output AlarmTopicArn) to receive them.
 */
export class OperationalAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { api: HttpApi; table: ITableV2; functions: IFunction[] }) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true, masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns') });
    const notify = new SnsAction(this.topic);
    const period = Duration.minutes(5);
    const apiMetric = (metricName: string) =>
      new Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: props.api.apiId, Stage: '$default' }, statistic: 'Sum', period });

    const alarm = (name: string, options: ConstructorParameters<typeof Alarm>[2]) =>
      new Alarm(this, name, { treatMissingData: TreatMissingData.NOT_BREACHING, ...options }).addAlarmAction(notify);

    alarm('Api5xxRate', {
      alarmDescription: 'More than 1% of API requests answered 5xx over 5 minutes',
      metric: new MathExpression({
        expression: 'IF(requests > 20, 100 * errors / requests, 0)',
        usingMetrics: { errors: apiMetric('5xx'), requests: apiMetric('Count') },
        period,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    alarm('Api429', {
      alarmDescription: 'The API throttled requests (stage rate or burst limit reached)',
      metric: new MathExpression({ expression: 'FILL(throttled, 0)', usingMetrics: { throttled: apiMetric('4xx') }, period }),
      threshold: 1_000,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    alarm('DynamoThrottles', {
      alarmDescription: 'DynamoDB throttled requests on the table',
      metric: new Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'ThrottledRequests',
        dimensionsMap: { TableName: props.table.tableName },
        statistic: 'Sum',
        period,
      }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    props.functions.forEach((fn, i) => {
      alarm(`Errors${i}`, {
        alarmDescription: `Errors or throttles in ${fn.node.path}`,
        metric: new MathExpression({
          expression: 'errors + throttles',
          usingMetrics: { errors: fn.metricErrors({ period }), throttles: fn.metricThrottles({ period }) },
          period,
        }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    });
  }
}
