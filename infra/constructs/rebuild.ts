import { Duration, Stack, Token, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, DistributedMap, JsonPath, type StateMachine, Succeed, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { workflowStateMachine } from './workflow-defaults';

/**
 * The rebuild of every learner's derived state (shared/domain/rebuild.ts): a Distributed
 * Map over the learner segments, one child execution per segment invoking the segment
 * Lambda until it reports the segment done (each invocation stops well inside its timeout
 * and the next resumes from the last recorded page), then a last step marks the rebuild
 * done. Results are discarded: nothing large passes between states.
 */
export class RebuildStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, steps: { segment: IFunction; finish: IFunction }) {
    super(scope, id);
    const segment = new LambdaInvoke(this, 'Segment', {
      lambdaFunction: steps.segment,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    segment.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 2 });
    const untilDone = new Choice(this, 'SegmentDone?').when(Condition.booleanEquals('$.done', true), new Succeed(this, 'SegmentFinished')).otherwise(segment);
    const eachSegment = new DistributedMap(this, 'EachSegment', {
      itemsPath: '$.segments',
      maxConcurrency: 16,
      resultPath: JsonPath.DISCARD,
    });
    eachSegment.itemProcessor(segment.next(untilDone));
    const finish = new LambdaInvoke(this, 'Finish', {
      lambdaFunction: steps.finish,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ rebuildId: JsonPath.stringAt('$.rebuildId') }),
    });
    this.stateMachine = workflowStateMachine(this, eachSegment.next(finish), { timeout: Duration.hours(24), steps: [steps.segment, steps.finish] });
    // The Distributed Map runs its items as child executions of this state machine only.
    const stack = Stack.of(this);
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    const self = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(this.stateMachine.node.defaultChild as CfnResource)}"}]}]}`;
    const executions = `arn:<AWS::Partition>:states:${shown(stack.region, 'AWS::Region')}:${shown(stack.account, 'AWS::AccountId')}:execution:${self}`;
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy')!;
    for (const resource of [`${executions}:*`, `${executions}/*:*`]) {
      Validations.of(mapPolicy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`,
        reason: "The Distributed Map describes and stops its own child executions (this state machine's executions only), as Step Functions requires.",
      });
    }
  }
}
