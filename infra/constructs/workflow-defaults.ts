import { type Duration, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, type IChainable, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/**
 * A state machine with the project's defaults: traced, logged without execution data
 * (inputs and outputs hold learner ids), and its role's cdk-nag findings acknowledged for
 * what LambdaInvoke adds (invoking the steps' own versions) and what tracing needs.
 */
export function workflowStateMachine(scope: Construct, definition: IChainable, options: { timeout: Duration; steps: IFunction[] }): StateMachine {
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    definitionBody: DefinitionBody.fromChainable(definition),
    timeout: options.timeout,
    tracingEnabled: true,
    logs: { destination: new LogGroup(scope, 'Logs', { retention: RetentionDays.THREE_MONTHS }), level: LogLevel.ALL, includeExecutionData: false },
  });
  const policy = stateMachine.role.node.tryFindChild('DefaultPolicy')!;
  const acknowledge = (finding: string, reason: string) => Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
  acknowledge('Resource::*', 'X-Ray tracing and CloudWatch Logs delivery actions do not support resource-level permissions.');
  for (const step of options.steps) {
    const logicalId = Stack.of(scope).getLogicalId(step.node.defaultChild as CfnResource);
    acknowledge(`Resource::<${logicalId}.Arn>:*`, "Invoking the step function's own versions and aliases (added by LambdaInvoke); no other function.");
  }
  return stateMachine;
}
