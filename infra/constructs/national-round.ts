import { Duration, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, Errors, JsonPath, LogLevel, Map as MapState, Pass, StateMachine, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * The national matching round: plan -> Map over prefectures (one Lambda invocation each,
 * retried on Lambda service errors and throttling) -> summary. A prefecture that still
 * fails is caught and recorded as `{ prefecture, failed: true, error }`: the other
 * prefectures finish and the summary lists it (shared/workflows/national-round.ts, which
 * the local host runs the same way). Execution logs carry no execution data: inputs and
 * outputs hold learner ids.
 */
export class NationalRoundStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, steps: { plan: IFunction; prefecture: IFunction; summary: IFunction }) {
    super(scope, id);
    const plan = new LambdaInvoke(this, 'Plan', { lambdaFunction: steps.plan, payloadResponseOnly: true });
    const eachPrefecture = new MapState(this, 'EachPrefecture', {
      itemsPath: '$.prefectures',
      maxConcurrency: 10,
      itemSelector: { 'plan.$': '$', 'prefecture.$': '$$.Map.Item.Value' },
      resultPath: '$.outcomes',
    });
    const prefecture = new LambdaInvoke(this, 'Prefecture', { lambdaFunction: steps.prefecture, payloadResponseOnly: true });
    // A throttled invocation never ran: try again. A function error is not retried: the step
    // is not idempotent (each attempt makes a new run), and a rerun belongs to the operator.
    prefecture.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(5), maxAttempts: 5, backoffRate: 2 });
    const recordFailure = new Pass(this, 'RecordFailure', {
      comment: 'The failed prefecture as an outcome; the plan is dropped so the Map result stays small.',
      parameters: { 'prefecture.$': '$.prefecture', failed: true, 'error.$': '$.error' },
    });
    prefecture.addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.error' });
    eachPrefecture.itemProcessor(prefecture);
    const summary = new LambdaInvoke(this, 'Summary', {
      lambdaFunction: steps.summary,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ plan: JsonPath.objectAt('$'), outcomes: JsonPath.listAt('$.outcomes') }),
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(plan.next(eachPrefecture).next(summary)),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS }), level: LogLevel.ALL, includeExecutionData: false },
    });
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy')!;
    const acknowledge = (finding: string, reason: string) => Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    acknowledge('Resource::*', 'X-Ray tracing and CloudWatch Logs delivery actions do not support resource-level permissions.');
    for (const step of [steps.plan, steps.prefecture, steps.summary]) {
      const logicalId = Stack.of(this).getLogicalId(step.node.defaultChild as CfnResource);
      acknowledge(`Resource::<${logicalId}.Arn>:*`, "Invoking the step function's own versions and aliases (added by LambdaInvoke); no other function.");
    }
  }
}
