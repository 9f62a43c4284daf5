import { Duration, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, JsonPath, LogLevel, Map as MapState, StateMachine, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * The national matching round: plan -> Map over prefectures (one Lambda invocation each,
 * retried on Lambda service errors) -> summary. Execution logs carry no execution data:
 * inputs and outputs hold learner ids.
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
    eachPrefecture.itemProcessor(new LambdaInvoke(this, 'Prefecture', { lambdaFunction: steps.prefecture, payloadResponseOnly: true }));
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
